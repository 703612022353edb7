/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The RA's policy: the settings of sertel.conf that decide a rule, read in
 * one place with their defaults and checked once, so the CLI, the REST
 * API, the portal and the e-sign service apply the same numbers.  A
 * front-end loads it once (the server at start, a CLI command after
 * opening the instance) and passes the values to the rule functions.
 */
#include <stdio.h>
#include <string.h>

#include "ra/ra.h"

int
ra_policy_load(struct ra_policy *out, const struct config *cfg)
{
	const char *algo = config_get(cfg, "keys", "algo", "ec-p256"),
	           *days = config_get(cfg, "reminder", "days", "30,14,7"),
	           *mode = config_get(cfg, "issuer", "mode", "ca");
	long long min = config_get_int(cfg, "passphrase", "min_length", 10),
	          warnings = config_get_int(cfg, "sanction", "warnings", 3);
	memset(out, 0, sizeof(*out));
	/* A sealed key's passphrase: NIST SP 800-63B asks at least 8. */
	if (min < 8 || min > 256)
		return sertel_err(SERTEL_EINVAL,
		                  "[passphrase] min_length %lld: expected 8..256", min);
	out->pass_min_len = (size_t)min;
	if (!key_algo_valid(algo))
		return sertel_err(
		    SERTEL_EINVAL,
		    "[keys] algo '%s': expected ec-p256, ec-p384, rsa-2048, "
		    "rsa-3072 or rsa-4096",
		    algo);
	str_copy(out->algo, sizeof(out->algo), algo);
	/* Cirebon 21(2): written warnings before a revocation is proposed. */
	if (warnings < 1 || warnings > 100)
		return sertel_err(SERTEL_EINVAL,
		                  "[sanction] warnings %lld: expected 1..100", warnings);
	out->sanction_warnings = (int)warnings;
	if (strlen(days) >= sizeof(out->reminder_days))
		return sertel_err(SERTEL_EINVAL, "[reminder] days: too long");
	str_copy(out->reminder_days, sizeof(out->reminder_days), days);
	if (strcmp(mode, "ca") != 0 && strcmp(mode, "upstream") != 0)
		return sertel_err(SERTEL_EINVAL,
		                  "[issuer] mode '%s': expected ca or upstream", mode);
	out->issuer_upstream = strcmp(mode, "upstream") == 0;
	return 0;
}
