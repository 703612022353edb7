/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Named bits: permission and usage sets written as "a,b,c".
 */
#include <stdio.h>

#include "core/core.h"

void
bits_format(char *out, size_t outsz, unsigned bits, const struct bit_name *t, size_t n)
{
	size_t i, len = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (!(bits & t[i].bit))
			continue;
		len += (size_t)snprintf(out + len, outsz > len ? outsz - len : 0, "%s%s",
		                        len ? "," : "", t[i].name);
		if (len >= outsz)
			return;
	}
}
