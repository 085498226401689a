#pragma once

#include "HubModel.h"

namespace idesk::cli::ModelsTable {

constexpr int kWidth = 100; // every line of the pretty output fits this many columns

// The search results as a table: MODEL, TASK, DOWNLOADS, LIKES, UPDATED, LICENCE, PROVIDERS.
QString searchTable(const QList<HubModel> &models);
// `models info` in pretty form.
QString details(const HubModel &model);
// "3 min" (HubModelText::age).
QString age(qint64 seconds);

} // namespace idesk::cli::ModelsTable
