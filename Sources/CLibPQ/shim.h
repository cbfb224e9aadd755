#ifndef MO_CLIBPQ_SHIM_H
#define MO_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
