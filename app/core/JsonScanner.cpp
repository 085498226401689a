#include "JsonScanner.h"

#include <QCoreApplication>

#include <vector>

namespace idesk::JsonScanner {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JsonScanner", text);
}

inline bool isSpace(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

inline bool isDigit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

inline bool isHex(unsigned char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Length of the valid UTF-8 sequence at p (lead byte >= 0x80), 0 when it is not one.
inline int utf8Length(const unsigned char *p, const unsigned char *end)
{
    const unsigned char c = p[0];
    int n;
    unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; // no overlong forms
        else if (c == 0xED)
            hi = 0x9F; // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; // nothing above U+10FFFF
    } else
        return 0;
    if (end - p < n || p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; ++i)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

enum class Expect : unsigned char { Value, ValueOrClose, Key, KeyOrClose, Colon, CommaOrClose, End };

} // namespace

Report scan(const char *data, qint64 size, const Limits &limits)
{
    Report r;
    const auto *const begin = reinterpret_cast<const unsigned char *>(data);
    const unsigned char *const end = begin + size;
    const unsigned char *p = begin;
    std::vector<unsigned char> stack; // '[' or '{' per open container
    Expect expect = Expect::Value;

    auto fail = [&](Problem problem, const QString &what) {
        r.problem = problem;
        r.offset = qint64(p - begin);
        r.what = what;
        return r;
    };
    auto countElement = [&]() {
        ++r.elements;
        return limits.maxElements < 0 || r.elements <= limits.maxElements;
    };
    auto tooMany = [&]() {
        return fail(Problem::TooManyElements, tr("more than %1 values").arg(limits.maxElements));
    };
    // After a complete value: what may follow depends on what holds it.
    auto afterValue = [&]() { expect = stack.empty() ? Expect::End : Expect::CommaOrClose; };

    // Scans the string whose opening quote is at p; leaves p after the closing quote.
    auto scanString = [&]() -> bool {
        const unsigned char *start = p;
        ++p;
        for (;;) {
            while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p < 0x80)
                ++p;
            if (p >= end) {
                p = start;
                fail(Problem::Syntax, tr("a string is not closed"));
                return false;
            }
            const unsigned char c = *p;
            if (c == '"') {
                ++p;
                break;
            }
            if (c == '\\') {
                if (p + 1 >= end) {
                    fail(Problem::Syntax, tr("a string is not closed"));
                    return false;
                }
                const unsigned char e = p[1];
                if (e == 'u') {
                    if (end - p < 6 || !isHex(p[2]) || !isHex(p[3]) || !isHex(p[4]) || !isHex(p[5])) {
                        fail(Problem::Syntax, tr("a \\u escape needs four hexadecimal digits"));
                        return false;
                    }
                    p += 6;
                } else {
                    p += 2; // as Qt's reader: an unknown escape stands for the character itself
                }
                continue;
            }
            if (c < 0x20) { // as Qt's reader: raw tabs and newlines in strings are taken as they are
                ++p;
                continue;
            }
            const int n = utf8Length(p, end);
            if (n == 0) {
                fail(Problem::Syntax, tr("a string that is not valid UTF-8"));
                return false;
            }
            p += n;
        }
        const qint64 length = qint64(p - start) - 2;
        if (length > r.longestString)
            r.longestString = length;
        if (limits.maxStringBytes >= 0 && length > limits.maxStringBytes) {
            p = start;
            fail(Problem::StringTooLong,
                 tr("a string of %1 bytes, over the limit of %2").arg(length).arg(limits.maxStringBytes));
            return false;
        }
        return true;
    };

    auto scanNumber = [&]() -> bool {
        const unsigned char *start = p;
        if (*p == '-')
            ++p;
        if (p < end && *p == '0') {
            ++p;
        } else if (p < end && isDigit(*p)) {
            while (p < end && isDigit(*p))
                ++p;
        } else {
            p = start;
            fail(Problem::Syntax, tr("a number without digits"));
            return false;
        }
        if (p < end && *p == '.') {
            ++p;
            if (p >= end || !isDigit(*p)) {
                fail(Problem::Syntax, tr("a number without digits after its decimal point"));
                return false;
            }
            while (p < end && isDigit(*p))
                ++p;
        }
        if (p < end && (*p == 'e' || *p == 'E')) {
            ++p;
            if (p < end && (*p == '+' || *p == '-'))
                ++p;
            if (p >= end || !isDigit(*p)) {
                fail(Problem::Syntax, tr("a number without digits in its exponent"));
                return false;
            }
            while (p < end && isDigit(*p))
                ++p;
        }
        return true;
    };

    auto literal = [&](const char *word, qint64 length) -> bool {
        if (end - p < length || memcmp(p, word, size_t(length)) != 0) {
            fail(Problem::Syntax, tr("an unexpected word (expected true, false or null)"));
            return false;
        }
        p += length;
        return true;
    };

    while (true) {
        while (p < end && isSpace(*p))
            ++p;
        if (p >= end)
            break;
        const unsigned char c = *p;
        switch (expect) {
        case Expect::End:
            return fail(Problem::Syntax, tr("more text after the end of the JSON value"));
        case Expect::Colon:
            if (c != ':')
                return fail(Problem::Syntax, tr("a colon is missing after an object key"));
            ++p;
            expect = Expect::Value;
            continue;
        case Expect::CommaOrClose:
            if (c == ',') {
                ++p;
                expect = stack.back() == '{' ? Expect::Key : Expect::Value;
                continue;
            }
            if ((c == '}' && stack.back() == '{') || (c == ']' && stack.back() == '[')) {
                ++p;
                stack.pop_back();
                afterValue();
                continue;
            }
            return fail(Problem::Syntax, stack.back() == '{' ? tr("a comma or } is missing in an object")
                                                             : tr("a comma or ] is missing in an array"));
        case Expect::Key:
        case Expect::KeyOrClose:
            if (c == '}' && expect == Expect::KeyOrClose) {
                ++p;
                stack.pop_back();
                afterValue();
                continue;
            }
            if (c != '"')
                return fail(Problem::Syntax, tr("an object key must be a string in double quotes"));
            if (!countElement())
                return tooMany();
            if (!scanString())
                return r;
            expect = Expect::Colon;
            continue;
        case Expect::Value:
        case Expect::ValueOrClose:
            if (c == ']' && expect == Expect::ValueOrClose) {
                ++p;
                stack.pop_back();
                afterValue();
                continue;
            }
            if (!countElement())
                return tooMany();
            switch (c) {
            case '{':
            case '[':
                if (limits.maxDepth >= 0 && int(stack.size()) >= limits.maxDepth)
                    return fail(Problem::TooDeep, tr("nesting deeper than %1 levels").arg(limits.maxDepth));
                stack.push_back(c);
                if (int(stack.size()) > r.depth)
                    r.depth = int(stack.size());
                ++p;
                expect = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
                continue;
            case '"':
                if (!scanString())
                    return r;
                break;
            case 't':
                if (!literal("true", 4))
                    return r;
                break;
            case 'f':
                if (!literal("false", 5))
                    return r;
                break;
            case 'n':
                if (!literal("null", 4))
                    return r;
                break;
            default:
                if (c == '-' || isDigit(c)) {
                    if (!scanNumber())
                        return r;
                    break;
                }
                return fail(Problem::Syntax,
                            tr("an unexpected character '%1'")
                                .arg(c >= 0x20 && c < 0x7F
                                         ? QString(QLatin1Char(char(c)))
                                         : QStringLiteral("\\x%1").arg(int(c), 2, 16, QLatin1Char('0'))));
            }
            afterValue();
            continue;
        }
    }
    if (expect == Expect::End)
        return r;
    if (r.elements == 0)
        return fail(Problem::Syntax, tr("the text is empty"));
    return fail(Problem::Syntax, tr("the JSON text ends too early (a value, a closing bracket or brace is "
                                    "missing)"));
}

} // namespace idesk::JsonScanner
