#include "KestraFlow.h"

#include "KestraTemplate.h"

namespace idesk {

const KestraTask *KestraFlow::task(const QString &taskId) const
{
    for (const KestraTask &t : tasks)
        if (t.id == taskId)
            return &t;
    return nullptr;
}

QStringList KestraFlow::taskIds() const
{
    QStringList ids;
    for (const KestraTask &t : tasks)
        ids << t.id;
    return ids;
}

std::optional<QString> KestraFlow::environmentSecret(const QString &name)
{
    return kestra::environmentSecret(name);
}

} // namespace idesk
