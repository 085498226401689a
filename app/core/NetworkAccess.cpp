#include "NetworkAccess.h"

#include <QNetworkAccessManager>
#include <QThreadStorage>

namespace idesk {

QNetworkAccessManager *NetworkAccess::shared()
{
    static QThreadStorage<QNetworkAccessManager *> perThread;
    if (!perThread.hasLocalData())
        perThread.setLocalData(new QNetworkAccessManager);
    return perThread.localData();
}

} // namespace idesk
