#pragma once

#include "SavedResult.h"

#include <QDialog>
#include <memory>

namespace Ui {
class HistoryCompareDialog;
}

namespace idesk {

class ResultView;

// Two answers from the history side by side, each in a result view of its own, above the JSON difference
// of the two (JsonDiff). Layout in ui/HistoryCompareDialog.ui.
class HistoryCompareDialog : public QDialog
{
    Q_OBJECT
public:
    HistoryCompareDialog(const SavedResult &left, const QString &leftTitle, const SavedResult &right,
                         const QString &rightTitle, QWidget *parent = nullptr);
    ~HistoryCompareDialog() override;

    ResultView *leftView() const;
    ResultView *rightView() const;
    QString differenceText() const;

private:
    std::unique_ptr<Ui::HistoryCompareDialog> m_ui;
};

} // namespace idesk
