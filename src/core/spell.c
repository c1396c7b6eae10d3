/* core/spell.c - one edit apart, and the known spellings of industries and countries. */
#include <string.h>

#include "core/spell.h"

static int low(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int fnl__spell_same(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (low((unsigned char)*a) != low((unsigned char)*b))
			return 0;
	return *a == *b;
}

/* a[0..n) and b[0..n) equal ignoring case */
static int eq_n(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (low((unsigned char)a[i]) != low((unsigned char)b[i]))
			return 0;
	return 1;
}

int fnl__spell_one_edit(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > nb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tn = na;
		na = nb;
		nb = tn;
	}
	if (nb - na > 1)
		return 0;
	size_t i = 0;
	while (i < na && low((unsigned char)a[i]) == low((unsigned char)b[i]))
		i++;
	if (na == nb) {
		if (i == na)
			return 0; /* equal */
		/* a substitution at i, or a swap of i and i + 1 */
		if (eq_n(a + i + 1, b + i + 1, na - i - 1))
			return 1;
		return i + 1 < na && low((unsigned char)a[i]) == low((unsigned char)b[i + 1]) &&
		       low((unsigned char)a[i + 1]) == low((unsigned char)b[i]) && eq_n(a + i + 2, b + i + 2, na - i - 2);
	}
	/* b has one byte more: skip b[i] */
	return eq_n(a + i, b + i + 1, na - i);
}

static const char *const industries[] = {
	"advertising", "aerospace", "agriculture", "apparel", "automotive", "banking", "biotechnology",
	"chemicals", "construction", "consulting", "consumer goods", "defense", "design", "education",
	"electronics", "employment", "energy", "engineering", "entertainment", "environmental", "fashion",
	"finance", "financial services", "food", "gaming", "government", "hardware", "healthcare",
	"hospitality", "insurance", "internet", "legal", "logistics", "manufacturing", "marketing", "media",
	"medical", "mining", "nonprofit", "pharmaceuticals", "publishing", "real estate", "recruiting",
	"research", "retail", "security", "service", "services", "shipping", "software", "sports",
	"technology", "telecom", "telecommunications", "textiles", "tourism", "transportation", "travel",
	"utilities", "wholesale", NULL,
};

static const char *const countries[] = {
	"Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia", "Australia",
	"Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
	"Belize", "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei",
	"Bulgaria", "Burkina Faso", "Burundi", "Cambodia", "Cameroon", "Canada", "Cape Verde",
	"Central African Republic", "Chad", "Chile", "China", "Colombia", "Comoros", "Congo", "Costa Rica",
	"Croatia", "Cuba", "Cyprus", "Czech Republic", "Czechia", "Denmark", "Djibouti", "Dominica",
	"Dominican Republic", "Ecuador", "Egypt", "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia",
	"Eswatini", "Ethiopia", "Fiji", "Finland", "France", "Gabon", "Gambia", "Georgia", "Germany", "Ghana",
	"Greece", "Grenada", "Guatemala", "Guinea", "Guinea-Bissau", "Guyana", "Haiti", "Honduras",
	"Hong Kong", "Hungary", "Iceland", "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy",
	"Ivory Coast", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati", "Korea", "Kosovo",
	"Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein",
	"Lithuania", "Luxembourg", "Macau", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta",
	"Marshall Islands", "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Monaco",
	"Mongolia", "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal",
	"Netherlands", "New Zealand", "Nicaragua", "Niger", "Nigeria", "North Korea", "North Macedonia",
	"Norway", "Oman", "Pakistan", "Palau", "Palestine", "Panama", "Papua New Guinea", "Paraguay", "Peru",
	"Philippines", "Poland", "Portugal", "Qatar", "Romania", "Russia", "Rwanda", "Saint Lucia", "Samoa",
	"San Marino", "Saudi Arabia", "Senegal", "Serbia", "Seychelles", "Sierra Leone", "Singapore",
	"Slovakia", "Slovenia", "Solomon Islands", "Somalia", "South Africa", "South Korea", "South Sudan",
	"Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan", "Tajikistan",
	"Tanzania", "Thailand", "Timor-Leste", "Togo", "Tonga", "Trinidad and Tobago", "Tunisia", "Turkey",
	"Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom",
	"United States", "Uruguay", "Uzbekistan", "Vanuatu", "Vatican City", "Venezuela", "Vietnam", "Yemen",
	"Zambia", "Zimbabwe", NULL,
};

const char *fnl__spell_known(enum fnl__words list, const char *value)
{
	const char *const *words = list == FNL__WORDS_INDUSTRY ? industries : countries;
	if (strlen(value) < 6)
		return NULL;
	const char *hit = NULL;
	for (const char *const *w = words; *w; w++) {
		if (fnl__spell_same(*w, value))
			return NULL;
		if (fnl__spell_one_edit(*w, value)) {
			if (hit)
				return NULL; /* two candidates: no telling which */
			hit = *w;
		}
	}
	return hit;
}
