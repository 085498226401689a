#pragma once

#include <QString>

namespace idesk {
namespace kestra {

// The limits a Kestra flow is read under: a flow is a file someone may have sent, so its size, the YAML it
// expands to (aliases counted each time they are used), its tasks and the files its read() calls take are
// bounded. Each can be raised with the environment variable named next to it (a number, or with K, M or G).
struct Limits
{
    qint64 maxFlowBytes = 0; // IDESK_FLOW_MAX_BYTES: the flow file itself
    qint64 maxNodes = 0;     // IDESK_FLOW_MAX_NODES: YAML nodes, aliases expanded
    qint64 maxDepth = 0;     // IDESK_FLOW_MAX_DEPTH: nesting of lists and maps, aliases expanded
    qint64 maxElements = 0;  // IDESK_FLOW_MAX_ELEMENTS: items of one list or entries of one map
    qint64 maxText = 0;      // IDESK_FLOW_MAX_TEXT: bytes of text of all values, aliases expanded
    qint64 maxTasks = 0;     // IDESK_FLOW_MAX_TASKS: tasks in the flow, nested ones included
    qint64 maxString = 0; // IDESK_FLOW_MAX_STRING: characters of one value once its expressions are rendered
    qint64 maxReadFile = 0;  // IDESK_FLOW_MAX_READ_FILE: bytes of one file read with read()
    qint64 maxReadTotal = 0; // IDESK_FLOW_MAX_READ_TOTAL: bytes of all read() calls of the flow together

    // The defaults, each replaced by its environment variable when that holds a valid number.
    static Limits current();
};

// "Set IDESK_FLOW_MAX_NODES (now 100000) to a larger number to allow more."
QString raiseHint(const char *variable, qint64 now);

} // namespace kestra
} // namespace idesk
