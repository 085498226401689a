#include "SessionServices.h"

#include "TestConfig.h"

#include <QByteArray>
#include <QString>
#include <QtGlobal>
#include <cstdio>
#include <unistd.h>
#include <vector>

namespace idesk::test {

int ensureSessionServices(int argc, char **argv, const char *testName)
{
    if (qEnvironmentVariable("IDESK_SESSION_SERVICES") == QLatin1String("1"))
        return -1;
    if (qEnvironmentVariableIsSet("IDESK_SESSION_SERVICES_REEXEC")) {
        std::fprintf(stderr, "%s: session-services.sh did not provide a private keyring\n", testName);
        return 1;
    }
    qputenv("IDESK_SESSION_SERVICES_REEXEC", "1");
    char self[4096] = {};
    const ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    const QByteArray script = QByteArray(IDESK_TEST_SUPPORT_DIR) + "/session-services.sh";
    std::vector<char *> args;
    args.push_back(const_cast<char *>(script.constData()));
    args.push_back(n > 0 ? self : argv[0]);
    for (int i = 1; i < argc; ++i)
        args.push_back(argv[i]);
    args.push_back(nullptr);
    execv(script.constData(), args.data());
    std::fprintf(stderr, "%s: cannot run session-services.sh\n", testName);
    return 1;
}

} // namespace idesk::test
