"""ISO 4217 currency codes in current use."""

CURRENCIES = {
    "AED": "UAE dirham", "ARS": "Argentine peso", "AUD": "Australian dollar",
    "BDT": "Bangladeshi taka", "BGN": "Bulgarian lev", "BHD": "Bahraini dinar",
    "BRL": "Brazilian real", "CAD": "Canadian dollar", "CHF": "Swiss franc",
    "CLP": "Chilean peso", "CNY": "Chinese yuan", "COP": "Colombian peso",
    "CZK": "Czech koruna", "DKK": "Danish krone", "EGP": "Egyptian pound", "EUR": "Euro",
    "GBP": "Pound sterling", "HKD": "Hong Kong dollar", "HUF": "Hungarian forint",
    "IDR": "Indonesian rupiah", "ILS": "Israeli new shekel", "INR": "Indian rupee",
    "ISK": "Icelandic króna", "JPY": "Japanese yen", "KES": "Kenyan shilling",
    "KRW": "South Korean won", "KWD": "Kuwaiti dinar", "MAD": "Moroccan dirham",
    "MXN": "Mexican peso", "MYR": "Malaysian ringgit", "NGN": "Nigerian naira",
    "NOK": "Norwegian krone", "NZD": "New Zealand dollar", "OMR": "Omani rial",
    "PEN": "Peruvian sol", "PHP": "Philippine peso", "PKR": "Pakistani rupee",
    "PLN": "Polish złoty", "QAR": "Qatari riyal", "RON": "Romanian leu",
    "RSD": "Serbian dinar", "SAR": "Saudi riyal", "SEK": "Swedish krona",
    "SGD": "Singapore dollar", "THB": "Thai baht", "TRY": "Turkish lira",
    "TWD": "New Taiwan dollar", "UAH": "Ukrainian hryvnia", "USD": "US dollar",
    "VND": "Vietnamese đồng", "ZAR": "South African rand",
}  # fmt: skip

CURRENCY_CHOICES = [(code, f"{code}: {name}") for code, name in sorted(CURRENCIES.items())]
