/*
 * callbacks.h - the libmilter callback table.
 */
#ifndef DKIMSA_MILTER_CALLBACKS_H
#define DKIMSA_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

extern struct smfiDesc callbacks_desc;

#endif
