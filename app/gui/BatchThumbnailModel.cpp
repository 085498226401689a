#include "BatchThumbnailModel.h"

#include "BatchTableModel.h"

#include <QImageReader>

namespace idesk {

BatchThumbnailModel::BatchThumbnailModel(QObject *parent) : QIdentityProxyModel(parent) {}

QVariant BatchThumbnailModel::data(const QModelIndex &index, int role) const
{
    if (role == Qt::DisplayRole && index.column() == 1) {
        // A failed input has no summary: its first summary column says why it failed.
        const QVariant value = QIdentityProxyModel::data(index, role);
        if (!value.toString().isEmpty())
            return value;
        auto *table = qobject_cast<BatchTableModel *>(sourceModel());
        if (!table || table->statusColumn() == 1)
            return value;
        return QIdentityProxyModel::data(index.siblingAtColumn(table->statusColumn()), Qt::ToolTipRole);
    }
    if (role != Qt::DecorationRole || index.column() != 0)
        return QIdentityProxyModel::data(index, role);
    const QString path = QIdentityProxyModel::data(index, BatchTableModel::FilePathRole).toString();
    if (path.isEmpty())
        return {};
    auto it = m_cache.constFind(path);
    if (it == m_cache.constEnd()) {
        QImageReader reader(path);
        QPixmap pixmap;
        const QSize size = reader.size();
        if (reader.canRead()) {
            if (size.isValid())
                reader.setScaledSize(size.scaled(thumbnailSize, thumbnailSize, Qt::KeepAspectRatio));
            const QImage image = reader.read();
            if (!image.isNull())
                pixmap = QPixmap::fromImage(image.scaled(thumbnailSize, thumbnailSize, Qt::KeepAspectRatio,
                                                         Qt::SmoothTransformation));
        }
        it = m_cache.insert(path, pixmap);
    }
    return it->isNull() ? QVariant() : QVariant(*it);
}

} // namespace idesk
