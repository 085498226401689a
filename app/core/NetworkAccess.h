#pragma once

class QNetworkAccessManager;

namespace idesk {

// The one QNetworkAccessManager of a thread (the process's GUI or CLI thread in practice): Hub calls
// (HubRequest: model info, whoami, search, the router's catalogue) share its connections and its proxy
// settings. Created on first use; deleted when the thread ends (for the main thread, with the
// application object). Never delete it; never use it from another thread.
class NetworkAccess
{
public:
    static QNetworkAccessManager *shared();
};

} // namespace idesk
