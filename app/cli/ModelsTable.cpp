#include "ModelsTable.h"

#include "HubModelText.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QRegularExpression>

namespace idesk::cli::ModelsTable {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ModelsTable", text);
}

struct Column
{
    QString title;
    int width;
    bool right;
};

QString cell(const QString &text, const Column &c)
{
    const QString cut = HubModelText::elide(text, c.width);
    return c.right ? cut.rightJustified(c.width) : cut.leftJustified(c.width);
}

// `text` wrapped at word boundaries to lines of at most `width` characters, each starting with `indent`.
QString wrapped(const QString &text, const QString &indent, int width = kWidth)
{
    QStringList lines;
    QString line;
    const int room = width - int(indent.size());
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString w = HubModelText::elide(word, room);
        if (!line.isEmpty() && line.size() + 1 + w.size() > room) {
            lines << indent + line;
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + w;
    }
    if (!line.isEmpty())
        lines << indent + line;
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString field(const QString &name, const QString &value)
{
    const QString label = (name + QLatin1Char(':')).leftJustified(12);
    return HubModelText::elide(label + (value.isEmpty() ? QStringLiteral("-") : value), kWidth) +
           QLatin1Char('\n');
}

// The providers' names that fit `width`, live first, then "+N" for the rest (staging ones marked "*").
QString providersCell(const QList<ProviderMappingEntry> &entries, int width)
{
    QStringList names;
    for (const ProviderMappingEntry &e : entries) {
        const QString name = e.isLive() ? e.provider : e.provider + QLatin1Char('*');
        if (!names.contains(name))
            e.isLive() ? names.prepend(name) : names.append(name);
    }
    QString out;
    for (int i = 0; i < names.size(); ++i) {
        const QString more =
            i + 1 < names.size() ? QStringLiteral(" +%1").arg(names.size() - i - 1) : QString();
        const QString next = out.isEmpty() ? names.at(i) : out + QStringLiteral(", ") + names.at(i);
        if (next.size() + more.size() > width && !out.isEmpty())
            return out + QStringLiteral(" +%1").arg(names.size() - i);
        out = next;
    }
    return out;
}

} // namespace

QString age(qint64 seconds)
{
    return HubModelText::age(seconds);
}

QString searchTable(const QList<HubModel> &models)
{
    // 32 + 20 + 5 + 5 + 10 + 9 + 6 spaces = 87: providers get the other 13 of 100.
    const QList<Column> columns{{tr("MODEL"), 32, false},   {tr("TASK"), 20, false},
                                {tr("DLS"), 5, true},       {tr("LIKES"), 5, true},
                                {tr("UPDATED"), 10, false}, {tr("LICENCE"), 9, false},
                                {tr("PROVIDERS"), 0, false}};
    int used = 0;
    for (const Column &c : columns)
        used += c.width + (c.width > 0 ? 1 : 0);
    const int providersWidth = kWidth - used;
    auto row = [&](const QStringList &values) {
        QString line;
        for (int i = 0; i < columns.size(); ++i) {
            Column c = columns.at(i);
            if (c.width == 0)
                c.width = providersWidth;
            line += cell(values.value(i), c) + (i + 1 < columns.size() ? QStringLiteral(" ") : QString());
        }
        return line.trimmed().isEmpty()
                   ? QString()
                   : QString(line).remove(QRegularExpression(QStringLiteral("\\s+$"))) + QLatin1Char('\n');
    };
    QStringList titles;
    for (const Column &c : columns)
        titles << c.title;
    QString out = row(titles);
    for (const HubModel &m : models) {
        out += row({m.id, m.task, HubModelText::compactCount(m.downloads),
                    HubModelText::compactCount(m.likes), HubModelText::day(m.lastModified),
                    HubModelText::gatedOrLicense(m), providersCell(m.providers, providersWidth)});
    }
    return out;
}

QString details(const HubModel &m)
{
    QString out;
    out += field(tr("Model"), m.id);
    out += field(tr("Task"), m.task);
    out += field(tr("Library"), m.library);
    out += field(tr("Licence"), m.license);
    out += field(tr("Languages"), m.languages.join(QStringLiteral(", ")));
    out += field(tr("Gated"), m.gatedText().isEmpty() ? tr("no") : m.gatedText());
    out += field(tr("Downloads"), HubModelText::compactCount(m.downloads));
    out += field(tr("Likes"), HubModelText::compactCount(m.likes));
    out += field(tr("Updated"), HubModelText::day(m.lastModified));
    out += tr("Providers:") + QLatin1Char('\n');
    if (m.providers.isEmpty())
        out +=
            QStringLiteral("  ") + tr("none: no Inference Provider serves this model.") + QLatin1Char('\n');
    for (const ProviderMappingEntry &e : m.providers) {
        out += HubModelText::elide(QStringLiteral("  %1 %2 %3 %4")
                                       .arg(e.provider.leftJustified(16), e.status.leftJustified(8),
                                            e.task.leftJustified(22), e.providerId),
                                   kWidth)
                   .trimmed()
                   .prepend(QStringLiteral("  ")) +
               QLatin1Char('\n');
    }
    if (!m.summary.isEmpty()) {
        out += tr("Summary:") + QLatin1Char('\n');
        out += wrapped(m.summary, QStringLiteral("  "));
    }
    if (!m.examples.isEmpty()) {
        out += tr("Examples:") + QLatin1Char('\n');
        for (const QJsonValue &v : m.examples) {
            const QJsonObject example = v.toObject();
            const QString title = example.value(QStringLiteral("example_title")).toString();
            const QString text = HubModel::exampleText(example).simplified();
            out +=
                HubModelText::elide(QStringLiteral("  - ") +
                                        (title.isEmpty() ? text : QStringLiteral("%1: %2").arg(title, text)),
                                    kWidth) +
                QLatin1Char('\n');
        }
    }
    if (!m.offers.isEmpty()) {
        out += tr("Chat offers (router; prices in USD per million tokens in / out):") + QLatin1Char('\n');
        for (const RouterOffer &o : m.offers) {
            out += HubModelText::elide(QStringLiteral("  %1 %2 %3")
                                           .arg(o.provider.leftJustified(16), o.status.leftJustified(8),
                                                HubModelText::offerSummary(o)),
                                       kWidth) +
                   QLatin1Char('\n');
        }
    }
    return out;
}

} // namespace idesk::cli::ModelsTable
