#pragma once

#include <QHash>
#include <QIdentityProxyModel>
#include <QPixmap>

namespace idesk {

// BatchTableModel as the batch window shows it: a thumbnail beside each image input (its FilePathRole), read
// once and cached, and a failed input's sentence in its first summary column (which it leaves empty).
class BatchThumbnailModel : public QIdentityProxyModel
{
    Q_OBJECT
public:
    explicit BatchThumbnailModel(QObject *parent = nullptr);

    static constexpr int thumbnailSize = 40;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    mutable QHash<QString, QPixmap> m_cache; // by path; a null pixmap for files that are not images
};

} // namespace idesk
