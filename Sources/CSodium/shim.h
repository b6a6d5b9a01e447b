#ifndef RIPA_CSODIUM_SHIM_H
#define RIPA_CSODIUM_SHIM_H
#include <sodium.h>
#endif
