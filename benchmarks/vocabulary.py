"""Word lists the synthetic journal is made of: names, institutions, clinical phrases.

Kept apart from generate.py so the generator reads as logic. The lists are invented or generic
medical vocabulary; every person, institution and finding they produce is fictional.
"""

from __future__ import annotations

# --- people -----------------------------------------------------------------------------------

LATIN_INITIALS = "ABCDEFGHIJKLMNOPRSTVW"

ASCII_FAMILY_NAMES = """
Adams Allen Anderson Baker Barnes Bell Bennett Brooks Brown Bryant Butler Campbell Carter Clark
Collins Cook Cooper Cox Davies Davis Edwards Evans Fisher Foster Gray Green Griffin Hall Harris
Hayes Henderson Hill Hughes Jackson James Jenkins Johnson Jones Kelly King Lee Lewis Long Martin
Mitchell Moore Morgan Morris Murphy Nelson Parker Perry Peterson Phillips Powell Price Reed
Richardson Roberts Robinson Rogers Ross Russell Sanders Scott Simmons Smith Stewart Sullivan
Taylor Thomas Thompson Turner Walker Ward Watson White Williams Wilson Wood Wright Young
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
DeLuca Costa Giordano Mancini Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi
Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola
Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter Klein Wolf
Neumann Schwarz Zimmermann Braun Hofmann Hartmann Lange Werner Krause Lehmann Kaiser Fuchs
Jansen DeVries VanDijk Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer
Andersen Nielsen Hansen Pedersen Larsen Olsen Berg Lindberg Nilsson Eriksson Johansson Karlsson
Kumar Sharma Singh Gupta Patel Reddy Rao Iyer Nair Menon Das Bose Chatterjee Mehta Joshi Kapoor
Kim Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song Yoo Hong
Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly
Ivanov Petrov Sidorov Smirnov Kuznetsov Popov Volkov Sokolov Lebedev Kozlov Novikov Morozov
Machneva Sergeenko Batmanova Valiev Kirgizov Varfolomeeva Orlova Fedorova Belova Pavlova
Oliveira Santos Pereira Ferreira Almeida Carvalho Gomes Ribeiro Martins Rocha Lopes Barbosa
Okafor Okeke Adeyemi Mensah Owusu Boateng Mwangi Otieno Kamau Banda Phiri Dlamini Ndlovu
Cohen Levi Katz Friedman Shapiro Goldberg Rosen Stein Weiss Klein Kaplan Segal
""".split()

FULL_GIVEN_NAMES = """
James Mary John Patricia Robert Jennifer Michael Linda David Elizabeth William Barbara Richard
Susan Joseph Jessica Thomas Sarah Daniel Karen Matthew Nancy Anthony Lisa Mark Margaret Paul
Sandra Steven Ashley Andrew Emily Kevin Donna Brian Michelle George Carol Timothy Amanda
Marco Giulia Luca Francesca Anna Paolo Chiara Stefan Katrin Jan Eva Lars Ingrid Priya Rahul
Min-jun Seo-yeon Minh Lan Olga Dmitry Ana Pedro Chidi Amara Kwame Ama David Rachel Noah Leah
""".split()

# Cyrillic names: (family name, gendered), rendered as "Е. Б. Махнева".
CYRILLIC_INITIALS = "АБВГДЕЖЗИКЛМНОПРСТФЮЯ"
CYRILLIC_FAMILY_NAMES = """
Иванова Петров Смирнова Кузнецов Попова Васильев Соколова Михайлов Новикова Фёдоров Морозова
Волков Алексеева Лебедев Семёнова Егоров Павлова Козлов Степанова Николаев Орлова Андреев
Макарова Захаров Зайцева Соловьёв Борисова Яковлев Григорьева Романов Воробьёва Сергеев
Кириллова Фролов Александрова Дмитриев Королёва Гусев Киселёва Ильин Максимова Поляков
Сорокина Виноградов Ковалёва Белов Медведева Антонов Тарасова Жуков Баранова Филиппов
Махнева Сергеенко Батманова Валиев Киргизов Варфоломеева Щербаков Чернова Шевченко Юдина
""".split()

# Accented Latin names as full "Given Family" pairs from several languages.
ACCENTED_GIVEN_NAMES = """
José María Jesús Ramón Inés Óscar Álvaro Lucía Raúl Sofía François Hélène Émilie Jérôme Anaïs
Loïc Zoë Jürgen Jörg Björn Søren Åsa Ørjan Łukasz Małgorzata Paweł Zofia Jiří Tomáš Petr Věra
Ștefan Ioana Gülşen Çağrı Ömer Ayşe Đorđe Nikša Ágnes Zoltán João Conceição André Renée
""".split()
ACCENTED_FAMILY_NAMES = """
García Martínez López Sánchez Pérez Gómez Fernández Díaz Muñoz Jiménez Álvarez Gutiérrez
Lefèvre Müller Schäfer Köhler Jäger Groß Böhm Weiß Bäcker Lévesque Gagné Côté Bélanger
Jørgensen Sørensen Ångström Lindström Wójcik Kowalczyk Woźniak Dąbrowski Dvořák Novák Černý
Procházka Kučera Horváth Szabó Tóth Németh Yılmaz Çelik Şahin Öztürk Aydın Doğan Kılıç
Petrović Jovanović Đorđević Conceição Gonçalves Magalhães Brandão Falcão Nuñez Ibáñez
""".split()

# CJK names written as they are in the script: Chinese without a space, Japanese with one.
CHINESE_FAMILY_NAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗".split()
CHINESE_GIVEN_NAMES = "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 晓明 建华".split()
JAPANESE_FAMILY_NAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田 佐々木 松本".split()
JAPANESE_GIVEN_NAMES = "健 翔太 大輔 陽子 美咲 拓也 由美 直樹 恵 花子 太郎 裕子 誠 彩".split()

DEGREES = [
    "MD", "MD, PhD", "PhD", "MBBS", "MD, MSc", "MBChB, FRCPath", "Cand. of Sci. (Med.)",
    "Dr. of Sci. (Med.), Professor", "MD, MPH", "DO", "MSc", "RN, MSN", "PharmD", "",
]

POSITIONS = [
    "Hematologist", "Pediatric Oncologist", "Resident", "Research Fellow", "Senior Researcher",
    "Head of Department", "Consultant Physician", "Associate Professor", "Professor",
    "Clinical Pathologist", "Radiologist", "Neonatologist", "Infectious Disease Specialist",
    "Transplant Physician", "Clinical Pharmacist", "Geneticist", "Intensive Care Physician",
]

DEPARTMENTS = [
    "Pediatric Oncology and Hematology", "Bone Marrow and Hematopoietic Stem Cell Transplantation",
    "Clinical Immunology", "Pathology and Laboratory Medicine", "Pediatric Surgery", "Radiology",
    "Neonatology", "Clinical Genetics", "Infectious Diseases", "Pediatric Intensive Care",
    "Internal Medicine", "Neurology", "Cardiology", "Nephrology", "Dermatology", "Rheumatology",
]

# --- institutions -----------------------------------------------------------------------------

# (city, country, street words, postcode pattern where # is a digit)
CITIES = [
    ("Moscow", "Russian Federation", ["Kashirskoe Shosse", "Leninskiy Prosp.", "Samory Mashela St."], "1#####"),
    ("Saint Petersburg", "Russian Federation", ["Nevsky Prosp.", "Lev Tolstoy St."], "19####"),
    ("Novosibirsk", "Russian Federation", ["Krasny Prosp.", "Pirogova St."], "630###"),
    ("London", "United Kingdom", ["Great Ormond Street", "Euston Road"], "WC1N #AA"),
    ("Manchester", "United Kingdom", ["Oxford Road", "Wilmslow Road"], "M## #PL"),
    ("Boston", "United States", ["Longwood Avenue", "Fruit Street"], "021##"),
    ("Memphis", "United States", ["Danny Thomas Place", "Union Avenue"], "381##"),
    ("Houston", "United States", ["Holcombe Boulevard", "Fannin Street"], "770##"),
    ("Toronto", "Canada", ["University Avenue", "Elizabeth Street"], "M5G #X#"),
    ("Montréal", "Canada", ["Chemin de la Côte-Sainte-Catherine", "Rue Saint-Denis"], "H3T #C#"),
    ("Berlin", "Germany", ["Augustenburger Platz", "Charitéplatz"], "13###"),
    ("München", "Germany", ["Lindwurmstraße", "Marchioninistraße"], "80###"),
    ("Milano", "Italy", ["Via Venezian", "Via Francesco Sforza"], "201##"),
    ("Roma", "Italy", ["Piazza Sant'Onofrio", "Viale Regina Elena"], "001##"),
    ("Madrid", "Spain", ["Calle del Padre Damián", "Paseo de la Castellana"], "280##"),
    ("Barcelona", "Spain", ["Passeig de Sant Joan de Déu", "Carrer de Villarroel"], "08###"),
    ("Paris", "France", ["Rue de Sèvres", "Boulevard de l'Hôpital"], "750##"),
    ("Lyon", "France", ["Rue Laennec", "Cours Albert Thomas"], "693##"),
    ("Kraków", "Poland", ["ul. Wielicka", "ul. Kopernika"], "30-###"),
    ("Praha", "Czech Republic", ["V Úvalu", "Vídeňská"], "150 ##"),
    ("Stockholm", "Sweden", ["Karolinska vägen", "Eugeniavägen"], "171 ##"),
    ("København", "Denmark", ["Blegdamsvej", "Tagensvej"], "2100"),
    ("İstanbul", "Türkiye", ["Millet Caddesi", "Kozyatağı"], "34###"),
    ("São Paulo", "Brazil", ["Avenida Dr. Enéas Carvalho de Aguiar", "Rua Botucatu"], "04###-###"),
    ("Beijing", "China", ["Nanlishi Road", "Dongdan Santiao"], "100###"),
    ("Shanghai", "China", ["Dongfang Road", "Ruijin Second Road"], "200###"),
    ("Tokyo", "Japan", ["Hongo", "Okura"], "1##-####"),
    ("Seoul", "Republic of Korea", ["Daehak-ro", "Irwon-ro"], "03###"),
    ("Mumbai", "India", ["Dr. E. Borges Road", "Acharya Donde Marg"], "4000##"),
    ("Nairobi", "Kenya", ["Hospital Road", "Ngong Road"], "00###"),
]

INSTITUTION_PATTERNS = [
    "{city} Children's Hospital",
    "{city} University Hospital",
    "National Medical Research Centre of Oncology, {city}",
    "Research Institute of Pediatric Hematology, {city}",
    "{city} Regional Clinical Hospital No. {n}",
    "Faculty of Medicine, University of {city}",
    "{city} State Medical University",
    "{city} Cancer Centre",
    "Centre for Rare Diseases, {city} General Hospital",
    "Institute of Clinical Genetics, {city}",
]

# --- clinical text ----------------------------------------------------------------------------

KEYWORDS = """
acute lymphoblastic leukemia|acute myeloid leukemia|infant leukemia|MLL rearrangement|KMT2A
|neuroblastoma|Wilms tumor|retinoblastoma|medulloblastoma|Ewing sarcoma|osteosarcoma
|rhabdomyosarcoma|hepatoblastoma|Hodgkin lymphoma|Burkitt lymphoma|Langerhans cell histiocytosis
|hemophagocytic lymphohistiocytosis|aplastic anemia|Fanconi anemia|Diamond-Blackfan anemia
|sickle cell disease|thalassemia|hemophilia A|von Willebrand disease|immune thrombocytopenia
|neutropenia|graft-versus-host disease|hematopoietic stem cell transplantation|CAR T-cell therapy
|blinatumomab|venetoclax|immunotherapy|chemotherapy|radiotherapy|minimal residual disease
|relapse|refractory disease|central nervous system involvement|tumor lysis syndrome
|febrile neutropenia|invasive fungal infection|cytomegalovirus|Epstein-Barr virus
|posterior reversible encephalopathy syndrome|veno-occlusive disease|thrombotic microangiopathy
|cardiotoxicity|nephrotoxicity|mucositis|sepsis|pediatric intensive care|neonate|infant
|adolescent|rare disease|germline predisposition|Li-Fraumeni syndrome|Down syndrome
|next-generation sequencing|flow cytometry|cytogenetics|fluorescence in situ hybridization
|immunohistochemistry|bone marrow biopsy|magnetic resonance imaging|positron emission tomography
|differential diagnosis|case report|literature review|multidisciplinary care|palliative care
|quality of life|late effects|survivorship|fertility preservation|vaccination|iron overload
|chelation therapy|transfusion|plasma exchange|intravenous immunoglobulin|corticosteroids
|rituximab|eculizumab|emicizumab|targeted therapy|tyrosine kinase inhibitor|BCR-ABL1
|Philadelphia chromosome|lineage switch|mixed phenotype acute leukemia|myelodysplastic syndrome
|juvenile myelomonocytic leukemia|chronic myeloid leukemia|mastocytosis|histiocytic sarcoma
|congenital infection|hydrops fetalis|autoimmune hemolytic anemia|Evans syndrome
|paroxysmal nocturnal hemoglobinuria|thrombosis|anticoagulation|central venous catheter
""".replace("\n", "").split("|")

CONDITIONS = [
    "acute lymphoblastic leukemia", "acute myeloid leukemia", "neuroblastoma", "Wilms tumor",
    "Langerhans cell histiocytosis", "hemophagocytic lymphohistiocytosis", "aplastic anemia",
    "Ewing sarcoma", "Burkitt lymphoma", "immune thrombocytopenia", "hepatoblastoma",
    "juvenile myelomonocytic leukemia", "Evans syndrome", "rhabdomyosarcoma", "medulloblastoma",
    "Fanconi anemia", "thrombotic microangiopathy", "mixed phenotype acute leukemia",
]
PATIENTS = [
    "a 3-month-old infant", "a newborn", "a 2-year-old girl", "a 5-year-old boy",
    "a 9-year-old girl", "an adolescent", "a 14-year-old boy", "twins", "a preterm neonate",
    "a 7-year-old boy with Down syndrome", "a 16-year-old girl", "a 10-month-old boy",
]
FINDINGS = [
    "lineage switch after induction", "isolated central nervous system relapse",
    "an unusual cutaneous presentation", "severe tumor lysis syndrome",
    "posterior reversible encephalopathy syndrome", "a novel gene fusion",
    "refractory disease responding to immunotherapy", "late relapse after transplantation",
    "veno-occlusive disease", "disseminated fungal infection", "spontaneous regression",
    "germline predisposition", "massive splenomegaly", "spinal cord compression",
    "hyperleukocytosis", "life-threatening bleeding", "an atypical immunophenotype",
]
TITLE_PATTERNS = [
    "{condition} in {patient} with {finding}: a case report",
    "{finding} in {patient} with {condition}",
    "{condition} presenting with {finding} in {patient}: case report and review of the literature",
    "Successful treatment of {condition} with {finding} in {patient}",
    "A rare case of {condition} with {finding}",
    "Diagnostic challenges of {condition} in {patient}: {finding}",
    "{condition} and {finding}: lessons from {patient}",
]

DRUGS = [
    "blinatumomab", "venetoclax", "inotuzumab ozogamicin", "rituximab", "dexamethasone",
    "methotrexate", "cytarabine", "vincristine", "daunorubicin", "asparaginase", "imatinib",
    "dasatinib", "ruxolitinib", "eculizumab", "emicizumab", "defibrotide", "voriconazole",
    "ganciclovir", "intravenous immunoglobulin", "etoposide", "cyclophosphamide", "busulfan",
]
TESTS = [
    "flow cytometry", "bone marrow aspiration", "magnetic resonance imaging", "computed tomography",
    "next-generation sequencing", "fluorescence in situ hybridization", "karyotyping",
    "lumbar puncture", "positron emission tomography", "whole-exome sequencing", "biopsy",
    "immunohistochemistry", "echocardiography", "ultrasound examination",
]
GENES = ["MLL", "KMT2A", "ETV6", "RUNX1", "TP53", "NRAS", "KRAS", "PTPN11", "FLT3", "NPM1",
         "IKZF1", "CRLF2", "BCR", "ABL1", "GATA2", "SAMD9", "CEBPA", "ALK", "MYCN", "EWSR1"]
SYMPTOMS = [
    "fever", "pallor", "fatigue", "bone pain", "hepatosplenomegaly", "lymphadenopathy",
    "petechiae", "weight loss", "abdominal distension", "seizures", "headache", "vomiting",
    "respiratory distress", "jaundice", "skin nodules", "limp", "night sweats",
]
OUTCOMES = [
    "complete remission", "negative minimal residual disease", "a partial response",
    "stable disease", "full neurological recovery", "resolution of the lesions",
    "engraftment on day +18", "normalisation of blood counts",
]

BACKGROUND_SENTENCES = [
    "{condition} is a rare disease of childhood with a heterogeneous clinical course.",
    "The prognosis of {condition} depends on age at diagnosis, genetic lesions and early response to therapy.",
    "Alterations of *{gene}* are associated with an aggressive course and frequent relapses.",
    "Treatment of {condition} in young children is limited by the toxicity of intensive regimens.",
    "Few cases of {condition} with {finding} have been reported in the literature.",
    "New agents such as {drug} have changed the outlook for patients with refractory disease.",
    "Early recognition of {finding} is essential, because delayed therapy worsens the outcome.",
    "The optimal management of {condition} in this setting remains a matter of debate.",
]
CASE_SENTENCES = [
    "We report {patient} who presented with {symptom}, {symptom} and {symptom}.",
    "Physical examination revealed {symptom} and {symptom}; laboratory tests showed a leukocyte count of {number} × 10⁹/L.",
    "The diagnosis of {condition} was established by {test} and confirmed by {test}.",
    "{test} demonstrated a rearrangement of *{gene}*, and {test} showed no further lesions.",
    "Induction therapy with {drug} and {drug} was started on day {small}.",
    "The course was complicated by {finding}, which required admission to the intensive care unit.",
    "After {small} weeks of treatment the patient developed {symptom}, and {test} was repeated.",
    "Second-line therapy with {drug} led to {outcome} within {small} weeks.",
    "Allogeneic hematopoietic stem cell transplantation from a matched unrelated donor was performed in {outcome_phrase}.",
    "At follow-up after {small} months the patient remains in {outcome}.",
    "Supportive care included {drug}, transfusions and close monitoring of organ function.",
    "A multidisciplinary team reviewed the case and chose {drug} as a bridge to transplantation.",
]
CONCLUSION_SENTENCES = [
    "This case shows that {finding} should be considered in patients with {condition}.",
    "An individualised approach with {drug} allowed {outcome} despite adverse prognostic factors.",
    "Careful monitoring by {test} is warranted in similar patients.",
    "Exchange of experience between centres is needed to improve the treatment of {condition}.",
    "Clinicians should be aware of {finding} as a possible complication of therapy.",
]
SECTION_HEADINGS = [
    ("Background", "Case presentation", "Conclusions"),
    ("Introduction", "Case report", "Discussion"),
    ("Background", "Case description", "Outcome", "Conclusion"),
]

# --- references -------------------------------------------------------------------------------

# (abbreviation, DOI prefix, DOI middle) of the journals references point to.
CITED_JOURNALS = [
    ("Blood", "10.1182", "blood"), ("Leukemia", "10.1038", "leu"), ("Lancet Oncol", "10.1016", "S1470-2045"),
    ("J Clin Oncol", "10.1200", "JCO"), ("Pediatr Blood Cancer", "10.1002", "pbc"),
    ("Br J Haematol", "10.1111", "bjh"), ("Haematologica", "10.3324", "haematol"),
    ("N Engl J Med", "10.1056", "NEJMoa"), ("Leuk Lymphoma", "10.1080", "10428194"),
    ("Bone Marrow Transplant", "10.1038", "bmt"), ("J Pediatr Hematol Oncol", "10.1097", "MPH"),
    ("Front Pediatr", "10.3389", "fped"), ("BMC Pediatr", "10.1186", "s12887"),
    ("J Med Case Rep", "10.1186", "s13256"), ("Cancers (Basel)", "10.3390", "cancers"),
    ("Pediatr Hematol Oncol", "10.1080", "08880018"), ("Ann Hematol", "10.1007", "s00277"),
]
REFERENCE_TOPICS = [
    "Outcome of {condition} treated on a risk-adapted protocol",
    "Clinical and genetic spectrum of {condition}: a multi-institutional study",
    "{drug} for relapsed or refractory {condition} in children",
    "Gene expression profiles predictive of outcome in {condition}",
    "{finding} in children with {condition}: a systematic review",
    "Long-term follow-up of survivors of {condition}",
    "Diagnostic value of {test} in {condition}",
    "Management of {finding}: recommendations of an international working group",
]
