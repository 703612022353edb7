/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Indonesian identity numbers, checked by their structure
 * (REQUIREMENTS.md section 3).
 *
 * NIK (Nomor Induk Kependudukan), 16 digits: PP KK CC DDMMYY SSSS
 *   PP province code, KK regency/city code, CC district code,
 *   DDMMYY birth date with 40 added to the day for women,
 *   SSSS registration sequence (0001-9999).
 * NIP (Nomor Induk Pegawai, PNS), 18 digits: YYYYMMDD YYYYMM G NNN
 *   birth date, appointment (TMT CPNS) year and month, gender
 *   (1 man, 2 woman), sequence (001-999).
 * When a person has both, their birth dates and genders must agree.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ra/ra.h"

/* Province codes of Kemendagri (Permendagri 72/2019 and the 2022 Papua
 * provinces). */
static const int provinces[] = {11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33,
                                34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                                73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96, 97};

static int
digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
date_valid(int y, int m, int d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap(y));
}

static int
this_year(void)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

int
nik_parse(struct nik_info *out, const char *nik)
{
	int prov, day, month, yy, y, i, ok = 0;

	memset(out, 0, sizeof(*out));
	if (nik == NULL || !digits(nik, 16))
		return sertel_err(SERTEL_EINVAL, "NIK '%s': must be exactly 16 digits",
		                  nik ? nik : "");
	prov = num(nik, 2);
	for (i = 0; i < (int)(sizeof(provinces) / sizeof(provinces[0])); i++)
		if (provinces[i] == prov)
			ok = 1;
	if (!ok)
		return sertel_err(SERTEL_EINVAL,
		                  "NIK %s: %02d is not an Indonesian province code", nik,
		                  prov);
	if (num(nik + 2, 2) == 0 || num(nik + 4, 2) == 0)
		return sertel_err(SERTEL_EINVAL,
		                  "NIK %s: regency/city and district codes cannot be 00",
		                  nik);
	day = num(nik + 6, 2);
	month = num(nik + 8, 2);
	yy = num(nik + 10, 2);
	out->female = day > 40;
	if (out->female)
		day -= 40;
	/* The century is not in the NIK: a date is possible when it exists in
	 * 19YY or 20YY and is not in the future. */
	y = 2000 + yy;
	if (y > this_year() || !date_valid(y, month, day))
		y = 1900 + yy;
	if (!date_valid(y, month, day))
		return sertel_err(
		    SERTEL_EINVAL,
		    "NIK %s: birth date %02d-%02d-%02d is impossible (day %s "
		    "for %s)",
		    nik, day + (out->female ? 40 : 0), month, yy,
		    out->female ? "minus 40" : "as is",
		    out->female ? "a woman" : "a man");
	if (num(nik + 12, 4) == 0)
		return sertel_err(SERTEL_EINVAL, "NIK %s: sequence 0000 is not issued",
		                  nik);
	out->province = prov;
	out->birth_year = y;
	out->birth_month = month;
	out->birth_day = day;
	out->yy = yy;
	return 0;
}

int
nip_parse(struct nip_info *out, const char *nip)
{
	int y, m, d, ay, am, g, now = this_year();

	memset(out, 0, sizeof(*out));
	if (nip == NULL || !digits(nip, 18))
		return sertel_err(SERTEL_EINVAL, "NIP '%s': must be exactly 18 digits",
		                  nip ? nip : "");
	y = num(nip, 4);
	m = num(nip + 4, 2);
	d = num(nip + 6, 2);
	ay = num(nip + 8, 4);
	am = num(nip + 12, 2);
	g = num(nip + 14, 1);
	if (y < 1900 || y > now || !date_valid(y, m, d))
		return sertel_err(SERTEL_EINVAL,
		                  "NIP %s: birth date %04d-%02d-%02d is "
		                  "impossible",
		                  nip, y, m, d);
	if (ay > now || am < 1 || am > 12)
		return sertel_err(SERTEL_EINVAL,
		                  "NIP %s: appointment %04d-%02d is impossible", nip, ay,
		                  am);
	/* UU 5/2014 art. 23 and PP 11/2017 art. 23: a CPNS is at least 18. */
	if (ay - y < 18)
		return sertel_err(SERTEL_EINVAL,
		                  "NIP %s: appointed in %d at age %d (at least 18)", nip,
		                  ay, ay - y);
	if (g != 1 && g != 2)
		return sertel_err(
		    SERTEL_EINVAL,
		    "NIP %s: gender digit must be 1 (man) or 2 (woman), not %d", nip, g);
	if (num(nip + 15, 3) == 0)
		return sertel_err(SERTEL_EINVAL, "NIP %s: sequence 000 is not issued",
		                  nip);
	out->birth_year = y;
	out->birth_month = m;
	out->birth_day = d;
	out->female = g == 2;
	return 0;
}

int
identity_check(const char *nik, const char *nip)
{
	struct nik_info ni;
	struct nip_info pi;
	int rc;

	if ((rc = nik_parse(&ni, nik)) < 0)
		return rc;
	if (nip == NULL || *nip == '\0')
		return 0;
	if ((rc = nip_parse(&pi, nip)) < 0)
		return rc;
	if (pi.birth_year % 100 != ni.yy || pi.birth_month != ni.birth_month ||
	    pi.birth_day != ni.birth_day)
		return sertel_err(
		    SERTEL_EINVAL,
		    "NIK %s and NIP %s: birth dates differ (%02d-%02d-%02d vs "
		    "%04d-%02d-%02d)",
		    nik, nip, ni.birth_day, ni.birth_month, ni.yy, pi.birth_year,
		    pi.birth_month, pi.birth_day);
	if (pi.female != ni.female)
		return sertel_err(SERTEL_EINVAL, "NIK %s and NIP %s: genders differ", nik,
		                  nip);
	return 0;
}
