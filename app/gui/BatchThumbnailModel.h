#pragma once

#include <QHash>
#include <QIdentityProxyModel>
#include <QPixmap>

namespace idesk {

// BatchTableModel with a thumbnail beside each image input (its FilePathRole), read once and cached.
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
