#pragma once

namespace idesk::test {

// Tests that write to the keychain may only do so inside tests/support/session-services.sh (a private
// D-Bus session with a throw-away gnome-keyring, marked by IDESK_SESSION_SERVICES=1): never the person's
// own keychain. Call first thing in main(): inside such a session it returns -1 and the test goes on;
// outside it re-runs this executable under the script (execv, so it does not return) or, when that
// failed already, returns the exit code 1 to give back.
int ensureSessionServices(int argc, char **argv, const char *testName);

} // namespace idesk::test
