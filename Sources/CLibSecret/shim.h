#ifndef OAUTH_RELAY_CLIBSECRET_SHIM_H
#define OAUTH_RELAY_CLIBSECRET_SHIM_H

#include <libsecret/secret.h>

#endif
