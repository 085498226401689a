#include "StartupWarmUp.h"

#include "TaskCatalog.h"

#include <QImageReader>
#include <QThreadPool>

#include <atomic>

namespace idesk {

void StartupWarmUp::start()
{
    static std::atomic_bool started{false};
    if (started.exchange(true))
        return;
    QThreadPool::globalInstance()->start([] {
        QImageReader::supportedImageFormats(); // instantiates every image-format plugin
        TaskCatalog::instance();
    });
}

} // namespace idesk
