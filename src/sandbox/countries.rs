//! ISO 3166-1 countries, shared by the gateways' address and card checks.
//!
//! Generated from Debian's `iso-codes` (`iso_3166-1.json`): alpha-2, alpha-3, numeric,
//! then every name the country goes by there (short, common, official). Braintree
//! accepts "specific" names; the sandbox accepts any of these, compared without regard
//! to case.

/// One country: alpha-2, alpha-3, numeric code, and its names.
pub struct Country {
    /// Two-letter code, upper case (`US`).
    pub alpha2: &'static str,
    /// Three-letter code, upper case (`USA`).
    pub alpha3: &'static str,
    /// Three-digit numeric code (`840`).
    pub numeric: &'static str,
    /// Every name the country goes by (short, common, official).
    pub names: &'static [&'static str],
}

/// The country with this alpha-2 code, in any case.
pub fn by_alpha2(text: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.alpha2.eq_ignore_ascii_case(text))
}

/// The country with this alpha-3 code, in any case.
pub fn by_alpha3(text: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.alpha3.eq_ignore_ascii_case(text))
}

/// The country with this three-digit numeric code.
pub fn by_numeric(text: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.numeric == text)
}

/// The country going by this name, in any case.
pub fn by_name(text: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.names.iter().any(|n| n.eq_ignore_ascii_case(text.trim())))
}

/// Whether `code` is an assigned alpha-2 code written as ISO writes it (upper case).
pub fn is_alpha2(code: &str) -> bool {
    by_alpha2(code).is_some_and(|c| c.alpha2 == code)
}

/// Every ISO 3166-1 country, by alpha-2 code.
pub static COUNTRIES: &[Country] = &[
    Country {
        alpha2: "AD",
        alpha3: "AND",
        numeric: "020",
        names: &["Andorra", "Principality of Andorra"],
    },
    Country {
        alpha2: "AE",
        alpha3: "ARE",
        numeric: "784",
        names: &["United Arab Emirates"],
    },
    Country {
        alpha2: "AF",
        alpha3: "AFG",
        numeric: "004",
        names: &["Afghanistan", "Islamic Republic of Afghanistan"],
    },
    Country {
        alpha2: "AG",
        alpha3: "ATG",
        numeric: "028",
        names: &["Antigua and Barbuda"],
    },
    Country {
        alpha2: "AI",
        alpha3: "AIA",
        numeric: "660",
        names: &["Anguilla"],
    },
    Country {
        alpha2: "AL",
        alpha3: "ALB",
        numeric: "008",
        names: &["Albania", "Republic of Albania"],
    },
    Country {
        alpha2: "AM",
        alpha3: "ARM",
        numeric: "051",
        names: &["Armenia", "Republic of Armenia"],
    },
    Country {
        alpha2: "AO",
        alpha3: "AGO",
        numeric: "024",
        names: &["Angola", "Republic of Angola"],
    },
    Country {
        alpha2: "AQ",
        alpha3: "ATA",
        numeric: "010",
        names: &["Antarctica"],
    },
    Country {
        alpha2: "AR",
        alpha3: "ARG",
        numeric: "032",
        names: &["Argentina", "Argentine Republic"],
    },
    Country {
        alpha2: "AS",
        alpha3: "ASM",
        numeric: "016",
        names: &["American Samoa"],
    },
    Country {
        alpha2: "AT",
        alpha3: "AUT",
        numeric: "040",
        names: &["Austria", "Republic of Austria"],
    },
    Country {
        alpha2: "AU",
        alpha3: "AUS",
        numeric: "036",
        names: &["Australia"],
    },
    Country {
        alpha2: "AW",
        alpha3: "ABW",
        numeric: "533",
        names: &["Aruba"],
    },
    Country {
        alpha2: "AX",
        alpha3: "ALA",
        numeric: "248",
        names: &["Åland Islands"],
    },
    Country {
        alpha2: "AZ",
        alpha3: "AZE",
        numeric: "031",
        names: &["Azerbaijan", "Republic of Azerbaijan"],
    },
    Country {
        alpha2: "BA",
        alpha3: "BIH",
        numeric: "070",
        names: &[
            "Bosnia and Herzegovina",
            "Republic of Bosnia and Herzegovina",
        ],
    },
    Country {
        alpha2: "BB",
        alpha3: "BRB",
        numeric: "052",
        names: &["Barbados"],
    },
    Country {
        alpha2: "BD",
        alpha3: "BGD",
        numeric: "050",
        names: &["Bangladesh", "People's Republic of Bangladesh"],
    },
    Country {
        alpha2: "BE",
        alpha3: "BEL",
        numeric: "056",
        names: &["Belgium", "Kingdom of Belgium"],
    },
    Country {
        alpha2: "BF",
        alpha3: "BFA",
        numeric: "854",
        names: &["Burkina Faso"],
    },
    Country {
        alpha2: "BG",
        alpha3: "BGR",
        numeric: "100",
        names: &["Bulgaria", "Republic of Bulgaria"],
    },
    Country {
        alpha2: "BH",
        alpha3: "BHR",
        numeric: "048",
        names: &["Bahrain", "Kingdom of Bahrain"],
    },
    Country {
        alpha2: "BI",
        alpha3: "BDI",
        numeric: "108",
        names: &["Burundi", "Republic of Burundi"],
    },
    Country {
        alpha2: "BJ",
        alpha3: "BEN",
        numeric: "204",
        names: &["Benin", "Republic of Benin"],
    },
    Country {
        alpha2: "BL",
        alpha3: "BLM",
        numeric: "652",
        names: &["Saint Barthélemy"],
    },
    Country {
        alpha2: "BM",
        alpha3: "BMU",
        numeric: "060",
        names: &["Bermuda"],
    },
    Country {
        alpha2: "BN",
        alpha3: "BRN",
        numeric: "096",
        names: &["Brunei Darussalam"],
    },
    Country {
        alpha2: "BO",
        alpha3: "BOL",
        numeric: "068",
        names: &[
            "Bolivia, Plurinational State of",
            "Bolivia",
            "Plurinational State of Bolivia",
        ],
    },
    Country {
        alpha2: "BQ",
        alpha3: "BES",
        numeric: "535",
        names: &["Bonaire, Sint Eustatius and Saba"],
    },
    Country {
        alpha2: "BR",
        alpha3: "BRA",
        numeric: "076",
        names: &["Brazil", "Federative Republic of Brazil"],
    },
    Country {
        alpha2: "BS",
        alpha3: "BHS",
        numeric: "044",
        names: &["Bahamas", "Commonwealth of the Bahamas"],
    },
    Country {
        alpha2: "BT",
        alpha3: "BTN",
        numeric: "064",
        names: &["Bhutan", "Kingdom of Bhutan"],
    },
    Country {
        alpha2: "BV",
        alpha3: "BVT",
        numeric: "074",
        names: &["Bouvet Island"],
    },
    Country {
        alpha2: "BW",
        alpha3: "BWA",
        numeric: "072",
        names: &["Botswana", "Republic of Botswana"],
    },
    Country {
        alpha2: "BY",
        alpha3: "BLR",
        numeric: "112",
        names: &["Belarus", "Republic of Belarus"],
    },
    Country {
        alpha2: "BZ",
        alpha3: "BLZ",
        numeric: "084",
        names: &["Belize"],
    },
    Country {
        alpha2: "CA",
        alpha3: "CAN",
        numeric: "124",
        names: &["Canada"],
    },
    Country {
        alpha2: "CC",
        alpha3: "CCK",
        numeric: "166",
        names: &["Cocos (Keeling) Islands"],
    },
    Country {
        alpha2: "CD",
        alpha3: "COD",
        numeric: "180",
        names: &["Congo, The Democratic Republic of the"],
    },
    Country {
        alpha2: "CF",
        alpha3: "CAF",
        numeric: "140",
        names: &["Central African Republic"],
    },
    Country {
        alpha2: "CG",
        alpha3: "COG",
        numeric: "178",
        names: &["Congo", "Republic of the Congo"],
    },
    Country {
        alpha2: "CH",
        alpha3: "CHE",
        numeric: "756",
        names: &["Switzerland", "Swiss Confederation"],
    },
    Country {
        alpha2: "CI",
        alpha3: "CIV",
        numeric: "384",
        names: &["Côte d'Ivoire", "Republic of Côte d'Ivoire"],
    },
    Country {
        alpha2: "CK",
        alpha3: "COK",
        numeric: "184",
        names: &["Cook Islands"],
    },
    Country {
        alpha2: "CL",
        alpha3: "CHL",
        numeric: "152",
        names: &["Chile", "Republic of Chile"],
    },
    Country {
        alpha2: "CM",
        alpha3: "CMR",
        numeric: "120",
        names: &["Cameroon", "Republic of Cameroon"],
    },
    Country {
        alpha2: "CN",
        alpha3: "CHN",
        numeric: "156",
        names: &["China", "People's Republic of China"],
    },
    Country {
        alpha2: "CO",
        alpha3: "COL",
        numeric: "170",
        names: &["Colombia", "Republic of Colombia"],
    },
    Country {
        alpha2: "CR",
        alpha3: "CRI",
        numeric: "188",
        names: &["Costa Rica", "Republic of Costa Rica"],
    },
    Country {
        alpha2: "CU",
        alpha3: "CUB",
        numeric: "192",
        names: &["Cuba", "Republic of Cuba"],
    },
    Country {
        alpha2: "CV",
        alpha3: "CPV",
        numeric: "132",
        names: &["Cabo Verde", "Republic of Cabo Verde"],
    },
    Country {
        alpha2: "CW",
        alpha3: "CUW",
        numeric: "531",
        names: &["Curaçao"],
    },
    Country {
        alpha2: "CX",
        alpha3: "CXR",
        numeric: "162",
        names: &["Christmas Island"],
    },
    Country {
        alpha2: "CY",
        alpha3: "CYP",
        numeric: "196",
        names: &["Cyprus", "Republic of Cyprus"],
    },
    Country {
        alpha2: "CZ",
        alpha3: "CZE",
        numeric: "203",
        names: &["Czechia", "Czech Republic"],
    },
    Country {
        alpha2: "DE",
        alpha3: "DEU",
        numeric: "276",
        names: &["Germany", "Federal Republic of Germany"],
    },
    Country {
        alpha2: "DJ",
        alpha3: "DJI",
        numeric: "262",
        names: &["Djibouti", "Republic of Djibouti"],
    },
    Country {
        alpha2: "DK",
        alpha3: "DNK",
        numeric: "208",
        names: &["Denmark", "Kingdom of Denmark"],
    },
    Country {
        alpha2: "DM",
        alpha3: "DMA",
        numeric: "212",
        names: &["Dominica", "Commonwealth of Dominica"],
    },
    Country {
        alpha2: "DO",
        alpha3: "DOM",
        numeric: "214",
        names: &["Dominican Republic"],
    },
    Country {
        alpha2: "DZ",
        alpha3: "DZA",
        numeric: "012",
        names: &["Algeria", "People's Democratic Republic of Algeria"],
    },
    Country {
        alpha2: "EC",
        alpha3: "ECU",
        numeric: "218",
        names: &["Ecuador", "Republic of Ecuador"],
    },
    Country {
        alpha2: "EE",
        alpha3: "EST",
        numeric: "233",
        names: &["Estonia", "Republic of Estonia"],
    },
    Country {
        alpha2: "EG",
        alpha3: "EGY",
        numeric: "818",
        names: &["Egypt", "Arab Republic of Egypt"],
    },
    Country {
        alpha2: "EH",
        alpha3: "ESH",
        numeric: "732",
        names: &["Western Sahara"],
    },
    Country {
        alpha2: "ER",
        alpha3: "ERI",
        numeric: "232",
        names: &["Eritrea", "the State of Eritrea"],
    },
    Country {
        alpha2: "ES",
        alpha3: "ESP",
        numeric: "724",
        names: &["Spain", "Kingdom of Spain"],
    },
    Country {
        alpha2: "ET",
        alpha3: "ETH",
        numeric: "231",
        names: &["Ethiopia", "Federal Democratic Republic of Ethiopia"],
    },
    Country {
        alpha2: "FI",
        alpha3: "FIN",
        numeric: "246",
        names: &["Finland", "Republic of Finland"],
    },
    Country {
        alpha2: "FJ",
        alpha3: "FJI",
        numeric: "242",
        names: &["Fiji", "Republic of Fiji"],
    },
    Country {
        alpha2: "FK",
        alpha3: "FLK",
        numeric: "238",
        names: &["Falkland Islands (Malvinas)"],
    },
    Country {
        alpha2: "FM",
        alpha3: "FSM",
        numeric: "583",
        names: &[
            "Micronesia, Federated States of",
            "Federated States of Micronesia",
        ],
    },
    Country {
        alpha2: "FO",
        alpha3: "FRO",
        numeric: "234",
        names: &["Faroe Islands"],
    },
    Country {
        alpha2: "FR",
        alpha3: "FRA",
        numeric: "250",
        names: &["France", "French Republic"],
    },
    Country {
        alpha2: "GA",
        alpha3: "GAB",
        numeric: "266",
        names: &["Gabon", "Gabonese Republic"],
    },
    Country {
        alpha2: "GB",
        alpha3: "GBR",
        numeric: "826",
        names: &[
            "United Kingdom",
            "United Kingdom of Great Britain and Northern Ireland",
        ],
    },
    Country {
        alpha2: "GD",
        alpha3: "GRD",
        numeric: "308",
        names: &["Grenada"],
    },
    Country {
        alpha2: "GE",
        alpha3: "GEO",
        numeric: "268",
        names: &["Georgia"],
    },
    Country {
        alpha2: "GF",
        alpha3: "GUF",
        numeric: "254",
        names: &["French Guiana"],
    },
    Country {
        alpha2: "GG",
        alpha3: "GGY",
        numeric: "831",
        names: &["Guernsey"],
    },
    Country {
        alpha2: "GH",
        alpha3: "GHA",
        numeric: "288",
        names: &["Ghana", "Republic of Ghana"],
    },
    Country {
        alpha2: "GI",
        alpha3: "GIB",
        numeric: "292",
        names: &["Gibraltar"],
    },
    Country {
        alpha2: "GL",
        alpha3: "GRL",
        numeric: "304",
        names: &["Greenland"],
    },
    Country {
        alpha2: "GM",
        alpha3: "GMB",
        numeric: "270",
        names: &["Gambia", "Republic of the Gambia"],
    },
    Country {
        alpha2: "GN",
        alpha3: "GIN",
        numeric: "324",
        names: &["Guinea", "Republic of Guinea"],
    },
    Country {
        alpha2: "GP",
        alpha3: "GLP",
        numeric: "312",
        names: &["Guadeloupe"],
    },
    Country {
        alpha2: "GQ",
        alpha3: "GNQ",
        numeric: "226",
        names: &["Equatorial Guinea", "Republic of Equatorial Guinea"],
    },
    Country {
        alpha2: "GR",
        alpha3: "GRC",
        numeric: "300",
        names: &["Greece", "Hellenic Republic"],
    },
    Country {
        alpha2: "GS",
        alpha3: "SGS",
        numeric: "239",
        names: &["South Georgia and the South Sandwich Islands"],
    },
    Country {
        alpha2: "GT",
        alpha3: "GTM",
        numeric: "320",
        names: &["Guatemala", "Republic of Guatemala"],
    },
    Country {
        alpha2: "GU",
        alpha3: "GUM",
        numeric: "316",
        names: &["Guam"],
    },
    Country {
        alpha2: "GW",
        alpha3: "GNB",
        numeric: "624",
        names: &["Guinea-Bissau", "Republic of Guinea-Bissau"],
    },
    Country {
        alpha2: "GY",
        alpha3: "GUY",
        numeric: "328",
        names: &["Guyana", "Republic of Guyana"],
    },
    Country {
        alpha2: "HK",
        alpha3: "HKG",
        numeric: "344",
        names: &[
            "Hong Kong",
            "Hong Kong Special Administrative Region of China",
        ],
    },
    Country {
        alpha2: "HM",
        alpha3: "HMD",
        numeric: "334",
        names: &["Heard Island and McDonald Islands"],
    },
    Country {
        alpha2: "HN",
        alpha3: "HND",
        numeric: "340",
        names: &["Honduras", "Republic of Honduras"],
    },
    Country {
        alpha2: "HR",
        alpha3: "HRV",
        numeric: "191",
        names: &["Croatia", "Republic of Croatia"],
    },
    Country {
        alpha2: "HT",
        alpha3: "HTI",
        numeric: "332",
        names: &["Haiti", "Republic of Haiti"],
    },
    Country {
        alpha2: "HU",
        alpha3: "HUN",
        numeric: "348",
        names: &["Hungary"],
    },
    Country {
        alpha2: "ID",
        alpha3: "IDN",
        numeric: "360",
        names: &["Indonesia", "Republic of Indonesia"],
    },
    Country {
        alpha2: "IE",
        alpha3: "IRL",
        numeric: "372",
        names: &["Ireland"],
    },
    Country {
        alpha2: "IL",
        alpha3: "ISR",
        numeric: "376",
        names: &["Israel", "State of Israel"],
    },
    Country {
        alpha2: "IM",
        alpha3: "IMN",
        numeric: "833",
        names: &["Isle of Man"],
    },
    Country {
        alpha2: "IN",
        alpha3: "IND",
        numeric: "356",
        names: &["India", "Republic of India"],
    },
    Country {
        alpha2: "IO",
        alpha3: "IOT",
        numeric: "086",
        names: &["British Indian Ocean Territory"],
    },
    Country {
        alpha2: "IQ",
        alpha3: "IRQ",
        numeric: "368",
        names: &["Iraq", "Republic of Iraq"],
    },
    Country {
        alpha2: "IR",
        alpha3: "IRN",
        numeric: "364",
        names: &[
            "Iran, Islamic Republic of",
            "Iran",
            "Islamic Republic of Iran",
        ],
    },
    Country {
        alpha2: "IS",
        alpha3: "ISL",
        numeric: "352",
        names: &["Iceland", "Republic of Iceland"],
    },
    Country {
        alpha2: "IT",
        alpha3: "ITA",
        numeric: "380",
        names: &["Italy", "Italian Republic"],
    },
    Country {
        alpha2: "JE",
        alpha3: "JEY",
        numeric: "832",
        names: &["Jersey"],
    },
    Country {
        alpha2: "JM",
        alpha3: "JAM",
        numeric: "388",
        names: &["Jamaica"],
    },
    Country {
        alpha2: "JO",
        alpha3: "JOR",
        numeric: "400",
        names: &["Jordan", "Hashemite Kingdom of Jordan"],
    },
    Country {
        alpha2: "JP",
        alpha3: "JPN",
        numeric: "392",
        names: &["Japan"],
    },
    Country {
        alpha2: "KE",
        alpha3: "KEN",
        numeric: "404",
        names: &["Kenya", "Republic of Kenya"],
    },
    Country {
        alpha2: "KG",
        alpha3: "KGZ",
        numeric: "417",
        names: &["Kyrgyzstan", "Kyrgyz Republic"],
    },
    Country {
        alpha2: "KH",
        alpha3: "KHM",
        numeric: "116",
        names: &["Cambodia", "Kingdom of Cambodia"],
    },
    Country {
        alpha2: "KI",
        alpha3: "KIR",
        numeric: "296",
        names: &["Kiribati", "Republic of Kiribati"],
    },
    Country {
        alpha2: "KM",
        alpha3: "COM",
        numeric: "174",
        names: &["Comoros", "Union of the Comoros"],
    },
    Country {
        alpha2: "KN",
        alpha3: "KNA",
        numeric: "659",
        names: &["Saint Kitts and Nevis"],
    },
    Country {
        alpha2: "KP",
        alpha3: "PRK",
        numeric: "408",
        names: &[
            "Korea, Democratic People's Republic of",
            "North Korea",
            "Democratic People's Republic of Korea",
        ],
    },
    Country {
        alpha2: "KR",
        alpha3: "KOR",
        numeric: "410",
        names: &["Korea, Republic of", "South Korea"],
    },
    Country {
        alpha2: "KW",
        alpha3: "KWT",
        numeric: "414",
        names: &["Kuwait", "State of Kuwait"],
    },
    Country {
        alpha2: "KY",
        alpha3: "CYM",
        numeric: "136",
        names: &["Cayman Islands"],
    },
    Country {
        alpha2: "KZ",
        alpha3: "KAZ",
        numeric: "398",
        names: &["Kazakhstan", "Republic of Kazakhstan"],
    },
    Country {
        alpha2: "LA",
        alpha3: "LAO",
        numeric: "418",
        names: &["Lao People's Democratic Republic", "Laos"],
    },
    Country {
        alpha2: "LB",
        alpha3: "LBN",
        numeric: "422",
        names: &["Lebanon", "Lebanese Republic"],
    },
    Country {
        alpha2: "LC",
        alpha3: "LCA",
        numeric: "662",
        names: &["Saint Lucia"],
    },
    Country {
        alpha2: "LI",
        alpha3: "LIE",
        numeric: "438",
        names: &["Liechtenstein", "Principality of Liechtenstein"],
    },
    Country {
        alpha2: "LK",
        alpha3: "LKA",
        numeric: "144",
        names: &["Sri Lanka", "Democratic Socialist Republic of Sri Lanka"],
    },
    Country {
        alpha2: "LR",
        alpha3: "LBR",
        numeric: "430",
        names: &["Liberia", "Republic of Liberia"],
    },
    Country {
        alpha2: "LS",
        alpha3: "LSO",
        numeric: "426",
        names: &["Lesotho", "Kingdom of Lesotho"],
    },
    Country {
        alpha2: "LT",
        alpha3: "LTU",
        numeric: "440",
        names: &["Lithuania", "Republic of Lithuania"],
    },
    Country {
        alpha2: "LU",
        alpha3: "LUX",
        numeric: "442",
        names: &["Luxembourg", "Grand Duchy of Luxembourg"],
    },
    Country {
        alpha2: "LV",
        alpha3: "LVA",
        numeric: "428",
        names: &["Latvia", "Republic of Latvia"],
    },
    Country {
        alpha2: "LY",
        alpha3: "LBY",
        numeric: "434",
        names: &["Libya"],
    },
    Country {
        alpha2: "MA",
        alpha3: "MAR",
        numeric: "504",
        names: &["Morocco", "Kingdom of Morocco"],
    },
    Country {
        alpha2: "MC",
        alpha3: "MCO",
        numeric: "492",
        names: &["Monaco", "Principality of Monaco"],
    },
    Country {
        alpha2: "MD",
        alpha3: "MDA",
        numeric: "498",
        names: &["Moldova, Republic of", "Moldova", "Republic of Moldova"],
    },
    Country {
        alpha2: "ME",
        alpha3: "MNE",
        numeric: "499",
        names: &["Montenegro"],
    },
    Country {
        alpha2: "MF",
        alpha3: "MAF",
        numeric: "663",
        names: &["Saint Martin (French part)"],
    },
    Country {
        alpha2: "MG",
        alpha3: "MDG",
        numeric: "450",
        names: &["Madagascar", "Republic of Madagascar"],
    },
    Country {
        alpha2: "MH",
        alpha3: "MHL",
        numeric: "584",
        names: &["Marshall Islands", "Republic of the Marshall Islands"],
    },
    Country {
        alpha2: "MK",
        alpha3: "MKD",
        numeric: "807",
        names: &["North Macedonia", "Republic of North Macedonia"],
    },
    Country {
        alpha2: "ML",
        alpha3: "MLI",
        numeric: "466",
        names: &["Mali", "Republic of Mali"],
    },
    Country {
        alpha2: "MM",
        alpha3: "MMR",
        numeric: "104",
        names: &["Myanmar", "Republic of Myanmar"],
    },
    Country {
        alpha2: "MN",
        alpha3: "MNG",
        numeric: "496",
        names: &["Mongolia"],
    },
    Country {
        alpha2: "MO",
        alpha3: "MAC",
        numeric: "446",
        names: &["Macao", "Macao Special Administrative Region of China"],
    },
    Country {
        alpha2: "MP",
        alpha3: "MNP",
        numeric: "580",
        names: &[
            "Northern Mariana Islands",
            "Commonwealth of the Northern Mariana Islands",
        ],
    },
    Country {
        alpha2: "MQ",
        alpha3: "MTQ",
        numeric: "474",
        names: &["Martinique"],
    },
    Country {
        alpha2: "MR",
        alpha3: "MRT",
        numeric: "478",
        names: &["Mauritania", "Islamic Republic of Mauritania"],
    },
    Country {
        alpha2: "MS",
        alpha3: "MSR",
        numeric: "500",
        names: &["Montserrat"],
    },
    Country {
        alpha2: "MT",
        alpha3: "MLT",
        numeric: "470",
        names: &["Malta", "Republic of Malta"],
    },
    Country {
        alpha2: "MU",
        alpha3: "MUS",
        numeric: "480",
        names: &["Mauritius", "Republic of Mauritius"],
    },
    Country {
        alpha2: "MV",
        alpha3: "MDV",
        numeric: "462",
        names: &["Maldives", "Republic of Maldives"],
    },
    Country {
        alpha2: "MW",
        alpha3: "MWI",
        numeric: "454",
        names: &["Malawi", "Republic of Malawi"],
    },
    Country {
        alpha2: "MX",
        alpha3: "MEX",
        numeric: "484",
        names: &["Mexico", "United Mexican States"],
    },
    Country {
        alpha2: "MY",
        alpha3: "MYS",
        numeric: "458",
        names: &["Malaysia"],
    },
    Country {
        alpha2: "MZ",
        alpha3: "MOZ",
        numeric: "508",
        names: &["Mozambique", "Republic of Mozambique"],
    },
    Country {
        alpha2: "NA",
        alpha3: "NAM",
        numeric: "516",
        names: &["Namibia", "Republic of Namibia"],
    },
    Country {
        alpha2: "NC",
        alpha3: "NCL",
        numeric: "540",
        names: &["New Caledonia"],
    },
    Country {
        alpha2: "NE",
        alpha3: "NER",
        numeric: "562",
        names: &["Niger", "Republic of the Niger"],
    },
    Country {
        alpha2: "NF",
        alpha3: "NFK",
        numeric: "574",
        names: &["Norfolk Island"],
    },
    Country {
        alpha2: "NG",
        alpha3: "NGA",
        numeric: "566",
        names: &["Nigeria", "Federal Republic of Nigeria"],
    },
    Country {
        alpha2: "NI",
        alpha3: "NIC",
        numeric: "558",
        names: &["Nicaragua", "Republic of Nicaragua"],
    },
    Country {
        alpha2: "NL",
        alpha3: "NLD",
        numeric: "528",
        names: &["Netherlands", "Kingdom of the Netherlands"],
    },
    Country {
        alpha2: "NO",
        alpha3: "NOR",
        numeric: "578",
        names: &["Norway", "Kingdom of Norway"],
    },
    Country {
        alpha2: "NP",
        alpha3: "NPL",
        numeric: "524",
        names: &["Nepal", "Federal Democratic Republic of Nepal"],
    },
    Country {
        alpha2: "NR",
        alpha3: "NRU",
        numeric: "520",
        names: &["Nauru", "Republic of Nauru"],
    },
    Country {
        alpha2: "NU",
        alpha3: "NIU",
        numeric: "570",
        names: &["Niue"],
    },
    Country {
        alpha2: "NZ",
        alpha3: "NZL",
        numeric: "554",
        names: &["New Zealand"],
    },
    Country {
        alpha2: "OM",
        alpha3: "OMN",
        numeric: "512",
        names: &["Oman", "Sultanate of Oman"],
    },
    Country {
        alpha2: "PA",
        alpha3: "PAN",
        numeric: "591",
        names: &["Panama", "Republic of Panama"],
    },
    Country {
        alpha2: "PE",
        alpha3: "PER",
        numeric: "604",
        names: &["Peru", "Republic of Peru"],
    },
    Country {
        alpha2: "PF",
        alpha3: "PYF",
        numeric: "258",
        names: &["French Polynesia"],
    },
    Country {
        alpha2: "PG",
        alpha3: "PNG",
        numeric: "598",
        names: &["Papua New Guinea", "Independent State of Papua New Guinea"],
    },
    Country {
        alpha2: "PH",
        alpha3: "PHL",
        numeric: "608",
        names: &["Philippines", "Republic of the Philippines"],
    },
    Country {
        alpha2: "PK",
        alpha3: "PAK",
        numeric: "586",
        names: &["Pakistan", "Islamic Republic of Pakistan"],
    },
    Country {
        alpha2: "PL",
        alpha3: "POL",
        numeric: "616",
        names: &["Poland", "Republic of Poland"],
    },
    Country {
        alpha2: "PM",
        alpha3: "SPM",
        numeric: "666",
        names: &["Saint Pierre and Miquelon"],
    },
    Country {
        alpha2: "PN",
        alpha3: "PCN",
        numeric: "612",
        names: &["Pitcairn"],
    },
    Country {
        alpha2: "PR",
        alpha3: "PRI",
        numeric: "630",
        names: &["Puerto Rico"],
    },
    Country {
        alpha2: "PS",
        alpha3: "PSE",
        numeric: "275",
        names: &["Palestine, State of", "the State of Palestine"],
    },
    Country {
        alpha2: "PT",
        alpha3: "PRT",
        numeric: "620",
        names: &["Portugal", "Portuguese Republic"],
    },
    Country {
        alpha2: "PW",
        alpha3: "PLW",
        numeric: "585",
        names: &["Palau", "Republic of Palau"],
    },
    Country {
        alpha2: "PY",
        alpha3: "PRY",
        numeric: "600",
        names: &["Paraguay", "Republic of Paraguay"],
    },
    Country {
        alpha2: "QA",
        alpha3: "QAT",
        numeric: "634",
        names: &["Qatar", "State of Qatar"],
    },
    Country {
        alpha2: "RE",
        alpha3: "REU",
        numeric: "638",
        names: &["Réunion"],
    },
    Country {
        alpha2: "RO",
        alpha3: "ROU",
        numeric: "642",
        names: &["Romania"],
    },
    Country {
        alpha2: "RS",
        alpha3: "SRB",
        numeric: "688",
        names: &["Serbia", "Republic of Serbia"],
    },
    Country {
        alpha2: "RU",
        alpha3: "RUS",
        numeric: "643",
        names: &["Russian Federation"],
    },
    Country {
        alpha2: "RW",
        alpha3: "RWA",
        numeric: "646",
        names: &["Rwanda", "Rwandese Republic"],
    },
    Country {
        alpha2: "SA",
        alpha3: "SAU",
        numeric: "682",
        names: &["Saudi Arabia", "Kingdom of Saudi Arabia"],
    },
    Country {
        alpha2: "SB",
        alpha3: "SLB",
        numeric: "090",
        names: &["Solomon Islands"],
    },
    Country {
        alpha2: "SC",
        alpha3: "SYC",
        numeric: "690",
        names: &["Seychelles", "Republic of Seychelles"],
    },
    Country {
        alpha2: "SD",
        alpha3: "SDN",
        numeric: "729",
        names: &["Sudan", "Republic of the Sudan"],
    },
    Country {
        alpha2: "SE",
        alpha3: "SWE",
        numeric: "752",
        names: &["Sweden", "Kingdom of Sweden"],
    },
    Country {
        alpha2: "SG",
        alpha3: "SGP",
        numeric: "702",
        names: &["Singapore", "Republic of Singapore"],
    },
    Country {
        alpha2: "SH",
        alpha3: "SHN",
        numeric: "654",
        names: &["Saint Helena, Ascension and Tristan da Cunha"],
    },
    Country {
        alpha2: "SI",
        alpha3: "SVN",
        numeric: "705",
        names: &["Slovenia", "Republic of Slovenia"],
    },
    Country {
        alpha2: "SJ",
        alpha3: "SJM",
        numeric: "744",
        names: &["Svalbard and Jan Mayen"],
    },
    Country {
        alpha2: "SK",
        alpha3: "SVK",
        numeric: "703",
        names: &["Slovakia", "Slovak Republic"],
    },
    Country {
        alpha2: "SL",
        alpha3: "SLE",
        numeric: "694",
        names: &["Sierra Leone", "Republic of Sierra Leone"],
    },
    Country {
        alpha2: "SM",
        alpha3: "SMR",
        numeric: "674",
        names: &["San Marino", "Republic of San Marino"],
    },
    Country {
        alpha2: "SN",
        alpha3: "SEN",
        numeric: "686",
        names: &["Senegal", "Republic of Senegal"],
    },
    Country {
        alpha2: "SO",
        alpha3: "SOM",
        numeric: "706",
        names: &["Somalia", "Federal Republic of Somalia"],
    },
    Country {
        alpha2: "SR",
        alpha3: "SUR",
        numeric: "740",
        names: &["Suriname", "Republic of Suriname"],
    },
    Country {
        alpha2: "SS",
        alpha3: "SSD",
        numeric: "728",
        names: &["South Sudan", "Republic of South Sudan"],
    },
    Country {
        alpha2: "ST",
        alpha3: "STP",
        numeric: "678",
        names: &[
            "Sao Tome and Principe",
            "Democratic Republic of Sao Tome and Principe",
        ],
    },
    Country {
        alpha2: "SV",
        alpha3: "SLV",
        numeric: "222",
        names: &["El Salvador", "Republic of El Salvador"],
    },
    Country {
        alpha2: "SX",
        alpha3: "SXM",
        numeric: "534",
        names: &["Sint Maarten (Dutch part)"],
    },
    Country {
        alpha2: "SY",
        alpha3: "SYR",
        numeric: "760",
        names: &["Syrian Arab Republic", "Syria"],
    },
    Country {
        alpha2: "SZ",
        alpha3: "SWZ",
        numeric: "748",
        names: &["Eswatini", "Kingdom of Eswatini"],
    },
    Country {
        alpha2: "TC",
        alpha3: "TCA",
        numeric: "796",
        names: &["Turks and Caicos Islands"],
    },
    Country {
        alpha2: "TD",
        alpha3: "TCD",
        numeric: "148",
        names: &["Chad", "Republic of Chad"],
    },
    Country {
        alpha2: "TF",
        alpha3: "ATF",
        numeric: "260",
        names: &["French Southern Territories"],
    },
    Country {
        alpha2: "TG",
        alpha3: "TGO",
        numeric: "768",
        names: &["Togo", "Togolese Republic"],
    },
    Country {
        alpha2: "TH",
        alpha3: "THA",
        numeric: "764",
        names: &["Thailand", "Kingdom of Thailand"],
    },
    Country {
        alpha2: "TJ",
        alpha3: "TJK",
        numeric: "762",
        names: &["Tajikistan", "Republic of Tajikistan"],
    },
    Country {
        alpha2: "TK",
        alpha3: "TKL",
        numeric: "772",
        names: &["Tokelau"],
    },
    Country {
        alpha2: "TL",
        alpha3: "TLS",
        numeric: "626",
        names: &["Timor-Leste", "Democratic Republic of Timor-Leste"],
    },
    Country {
        alpha2: "TM",
        alpha3: "TKM",
        numeric: "795",
        names: &["Turkmenistan"],
    },
    Country {
        alpha2: "TN",
        alpha3: "TUN",
        numeric: "788",
        names: &["Tunisia", "Republic of Tunisia"],
    },
    Country {
        alpha2: "TO",
        alpha3: "TON",
        numeric: "776",
        names: &["Tonga", "Kingdom of Tonga"],
    },
    Country {
        alpha2: "TR",
        alpha3: "TUR",
        numeric: "792",
        names: &["Türkiye", "Republic of Türkiye"],
    },
    Country {
        alpha2: "TT",
        alpha3: "TTO",
        numeric: "780",
        names: &["Trinidad and Tobago", "Republic of Trinidad and Tobago"],
    },
    Country {
        alpha2: "TV",
        alpha3: "TUV",
        numeric: "798",
        names: &["Tuvalu"],
    },
    Country {
        alpha2: "TW",
        alpha3: "TWN",
        numeric: "158",
        names: &["Taiwan, Province of China", "Taiwan"],
    },
    Country {
        alpha2: "TZ",
        alpha3: "TZA",
        numeric: "834",
        names: &[
            "Tanzania, United Republic of",
            "Tanzania",
            "United Republic of Tanzania",
        ],
    },
    Country {
        alpha2: "UA",
        alpha3: "UKR",
        numeric: "804",
        names: &["Ukraine"],
    },
    Country {
        alpha2: "UG",
        alpha3: "UGA",
        numeric: "800",
        names: &["Uganda", "Republic of Uganda"],
    },
    Country {
        alpha2: "UM",
        alpha3: "UMI",
        numeric: "581",
        names: &["United States Minor Outlying Islands"],
    },
    Country {
        alpha2: "US",
        alpha3: "USA",
        numeric: "840",
        names: &["United States", "United States of America"],
    },
    Country {
        alpha2: "UY",
        alpha3: "URY",
        numeric: "858",
        names: &["Uruguay", "Eastern Republic of Uruguay"],
    },
    Country {
        alpha2: "UZ",
        alpha3: "UZB",
        numeric: "860",
        names: &["Uzbekistan", "Republic of Uzbekistan"],
    },
    Country {
        alpha2: "VA",
        alpha3: "VAT",
        numeric: "336",
        names: &["Holy See (Vatican City State)"],
    },
    Country {
        alpha2: "VC",
        alpha3: "VCT",
        numeric: "670",
        names: &["Saint Vincent and the Grenadines"],
    },
    Country {
        alpha2: "VE",
        alpha3: "VEN",
        numeric: "862",
        names: &[
            "Venezuela, Bolivarian Republic of",
            "Venezuela",
            "Bolivarian Republic of Venezuela",
        ],
    },
    Country {
        alpha2: "VG",
        alpha3: "VGB",
        numeric: "092",
        names: &["Virgin Islands, British", "British Virgin Islands"],
    },
    Country {
        alpha2: "VI",
        alpha3: "VIR",
        numeric: "850",
        names: &[
            "Virgin Islands, U.S.",
            "Virgin Islands of the United States",
        ],
    },
    Country {
        alpha2: "VN",
        alpha3: "VNM",
        numeric: "704",
        names: &["Viet Nam", "Vietnam", "Socialist Republic of Viet Nam"],
    },
    Country {
        alpha2: "VU",
        alpha3: "VUT",
        numeric: "548",
        names: &["Vanuatu", "Republic of Vanuatu"],
    },
    Country {
        alpha2: "WF",
        alpha3: "WLF",
        numeric: "876",
        names: &["Wallis and Futuna"],
    },
    Country {
        alpha2: "WS",
        alpha3: "WSM",
        numeric: "882",
        names: &["Samoa", "Independent State of Samoa"],
    },
    Country {
        alpha2: "YE",
        alpha3: "YEM",
        numeric: "887",
        names: &["Yemen", "Republic of Yemen"],
    },
    Country {
        alpha2: "YT",
        alpha3: "MYT",
        numeric: "175",
        names: &["Mayotte"],
    },
    Country {
        alpha2: "ZA",
        alpha3: "ZAF",
        numeric: "710",
        names: &["South Africa", "Republic of South Africa"],
    },
    Country {
        alpha2: "ZM",
        alpha3: "ZMB",
        numeric: "894",
        names: &["Zambia", "Republic of Zambia"],
    },
    Country {
        alpha2: "ZW",
        alpha3: "ZWE",
        numeric: "716",
        names: &["Zimbabwe", "Republic of Zimbabwe"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_every_assigned_country_once() {
        assert_eq!(COUNTRIES.len(), 249);
        let mut codes: Vec<&str> = COUNTRIES.iter().map(|c| c.alpha2).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 249);
        assert!(is_alpha2("US") && is_alpha2("GB") && is_alpha2("AX"));
        assert!(!is_alpha2("UK") && !is_alpha2("us") && !is_alpha2("USA") && !is_alpha2(""));
        assert_eq!(by_alpha3("usa").map(|c| c.alpha2), Some("US"));
        assert_eq!(by_numeric("840").map(|c| c.alpha2), Some("US"));
        assert_eq!(by_name(" united states ").map(|c| c.alpha2), Some("US"));
    }
}
