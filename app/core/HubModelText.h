#pragma once

#include "HubModel.h"

#include <QString>

namespace idesk {

// Short texts about Hub models for people, shared by the CLI's tables and the app's search panel.
namespace HubModelText {
// 1234 -> "1.2k", 5600000 -> "5.6M"; "" for -1 (not told).
QString compactCount(qint64 n);
// "2025-03-14" from the Hub's ISO date ("" when empty).
QString day(const QString &isoDate);
// 75 -> "1 min", 7200 -> "2 h", 200000 -> "2 days".
QString age(qint64 seconds);
// "together, fal-ai (staging)": the providers, live first; "" when none.
QString providers(const QList<ProviderMappingEntry> &entries);
// "gated (manual)", "gated", or the licence, for a row: "" when neither.
QString gatedOrLicense(const HubModel &model);
// `text` cut to `width` characters with "…" at the end.
QString elide(const QString &text, int width);
// "$0.20 / $0.60" per million tokens in / out; "" when the catalogue gave no price.
QString prices(const RouterOffer &offer);
// "context 131k, $0.20 / $0.60, tools, structured output, latency 0.40 s": what the catalogue told.
QString offerSummary(const RouterOffer &offer);
} // namespace HubModelText

} // namespace idesk
