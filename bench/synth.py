"""Deterministic synthetic content for the benchmark: N sheets with proportional parties,
places and sources, valid against ``factsheet validate`` with zero problems.

The records look like the real ones where it costs the pipeline something: Persian text
with ZWNJ compounds and isolated Latin and digit runs, English text with Persian runs in
«», Arabic quotes with Arabic letters (ي, ك) that search folding must meet, every date form
of the profile in both calendars, cross-references of every kind (parties in roles,
speakers, places within places, related sheets, ``updates`` between facts, ``based_on``
between sources) and a long tail of generated names, so a search index grows the way it
would with real reporting.

Counts grow in proportion to N (about 1 source, 0.4 parties and 0.2 places per sheet,
five facts a sheet) on top of a fixed core of widely cited parties and places, so the
cost of each page stays flat as N grows (the hubs' pages are capped by the renderer).

    python bench/synth.py --sheets 1000 --seed 1 -o /tmp/content
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jdatetime

ZWNJ = "\u200c"
_TO_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# Per sheet; see the module docstring.
SOURCES_PER_SHEET = 1.0
PARTIES_PER_SHEET = 0.4
PLACES_PER_SHEET = 0.2
OUTLETS_PER_SHEET = 0.02

# -- vocabulary ----------------------------------------------------------------------------

# (fa, en, ar, id, type, country): the core parties most reports mention.
HUB_PARTIES = (
    ("عراق", "Iraq", "العراق", "iraq", "state", "IQ"),
    ("ایالات متحدهٔ آمریکا", "United States", "الولايات المتحدة", "united-states", "state", "US"),
    ("ایران", "Iran", "إيران", "iran", "state", "IR"),
    ("سوریه", "Syria", "سوريا", "syria", "state", "SY"),
    ("ترکیه", "Türkiye", "تركيا", "turkiye", "state", "TR"),
    ("بریتانیا", "United Kingdom", "بريطانيا", "united-kingdom", "state", "GB"),
    ("فرانسه", "France", "فرنسا", "france", "state", "FR"),
    ("ناتو", "NATO", "الناتو", "nato", "organization", None),
    ("اتحادیهٔ اروپا", "European Union", "الاتحاد الأوروبي", "european-union", "organization", None),
    (
        "ائتلاف آمریکایی",
        "US-led coalition",
        "التحالف الدولي",
        "us-led-coalition",
        "organization",
        None,
    ),
    (
        "نیروهای مسلح عراق",
        "Iraqi Armed Forces",
        "القوات المسلحة العراقية",
        "iraqi-armed-forces",
        "organization",
        "IQ",
    ),
    (
        "دولت عراق",
        "Government of Iraq",
        "الحكومة العراقية",
        "iraqi-government",
        "organization",
        "IQ",
    ),
    ("داعش", "ISIS", "داعش", "isis", "armed_group", None),
    ("سازمان ملل متحد", "United Nations", "الأمم المتحدة", "united-nations", "organization", None),
)

# (fa, en, ar, id, kind, country, lat, lon)
HUB_PLACES = (
    ("بغداد", "Baghdad", "بغداد", "baghdad", "city", "IQ", 33.315, 44.366),
    ("اربیل", "Erbil", "أربيل", "erbil", "city", "IQ", 36.191, 44.009),
    ("بصره", "Basra", "البصرة", "basra", "city", "IQ", 30.508, 47.783),
    (
        "استان الانبار",
        "Al-Anbar Province",
        "محافظة الأنبار",
        "al-anbar-province",
        "province",
        "IQ",
        33.0,
        42.0,
    ),
    (
        "پایگاه عین‌الأسد",
        "Ain al-Asad Air Base",
        "قاعدة عين الأسد",
        "ain-al-asad-air-base",
        "base",
        "IQ",
        33.8,
        42.44,
    ),
    ("تهران", "Tehran", "طهران", "tehran", "city", "IR", 35.689, 51.389),
    ("دمشق", "Damascus", "دمشق", "damascus", "city", "SY", 33.513, 36.292),
)

# Syllables for the long tail of place names and surnames: (Persian, Latin transliteration).
SYLLABLES = (
    ("کا", "ka"),
    ("ر", "r"),
    ("بان", "ban"),
    ("دی", "di"),
    ("سا", "sa"),
    ("مر", "mar"),
    ("نی", "ni"),
    ("زا", "za"),
    ("گل", "gol"),
    ("شهر", "shahr"),
    ("آب", "ab"),
    ("باد", "bad"),
    ("تل", "tal"),
    ("کو", "ku"),
    ("ها", "ha"),
    ("رود", "rud"),
    ("سر", "sar"),
    ("مه", "meh"),
    ("لا", "la"),
    ("جا", "ja"),
    ("دشت", "dasht"),
    ("کوه", "kuh"),
    ("خان", "khan"),
    ("ده", "deh"),
    ("نو", "now"),
    ("بر", "bar"),
    ("یا", "ya"),
    ("سی", "si"),
    ("فر", "far"),
    ("حا", "ha"),
    ("قل", "ghal"),
    ("عه", "eh"),
    ("طا", "ta"),
    ("وس", "vas"),
    ("پل", "pol"),
    ("چم", "cham"),
)
FIRST_NAMES = (
    ("حسین", "Hussein"),
    ("علی", "Ali"),
    ("محمد", "Mohammad"),
    ("فاطمه", "Fatemeh"),
    ("زینب", "Zeynab"),
    ("مصطفی", "Mustafa"),
    ("احمد", "Ahmad"),
    ("مریم", "Maryam"),
    ("عباس", "Abbas"),
    ("حیدر", "Haidar"),
    ("نوری", "Nouri"),
    ("سارا", "Sara"),
    ("کریم", "Karim"),
    ("جعفر", "Jafar"),
    ("لیلا", "Leila"),
    ("هادی", "Hadi"),
    ("قاسم", "Qasem"),
    ("نرگس", "Narges"),
    ("یوسف", "Yousef"),
    ("رضا", "Reza"),
    ("جان", "John"),
    ("ماری", "Marie"),
    ("پیتر", "Peter"),
    ("آنا", "Anna"),
    ("فؤاد", "Fuad"),
    ("عادل", "Adel"),
    ("خالد", "Khaled"),
    ("سلمان", "Salman"),
)
LAST_NAMES = (
    ("علاوی", "Allawi"),
    ("الحکیم", "al-Hakim"),
    ("کاظمی", "Kazemi"),
    ("سودانی", "Sudani"),
    ("عبدالمهدی", "Abdul-Mahdi"),
    ("بارزانی", "Barzani"),
    ("طالبانی", "Talabani"),
    ("حسینی", "Hosseini"),
    ("موسوی", "Mousavi"),
    ("رسول", "Rasool"),
    ("اسمیت", "Smith"),
    ("دوبوا", "Dubois"),
    ("شمری", "Shammari"),
    ("جبوری", "Jubouri"),
    ("دلیمی", "Dulaimi"),
    ("نجفی", "Najafi"),
    ("فیاض", "Fayyadh"),
    ("زیباری", "Zebari"),
    ("حمدانی", "Hamdani"),
)
# (fa, en, party type) templates for organisations; {n} is a generated name, {c} a state.
ORG_TEMPLATES = (
    ("وزارت دفاع {c}", "Ministry of Defence of {c}", "organization"),
    ("وزارت کشور {c}", "Ministry of the Interior of {c}", "organization"),
    ("شورای امنیت ملی {c}", "National Security Council of {c}", "organization"),
    ("فرماندهی عملیات {n}", "{n} Operations Command", "organization"),
    ("حزب {n}", "{n} Party", "organization"),
    ("بنیاد {n}", "{n} Foundation", "organization"),
    ("تیپ {n}", "{n} Brigade", "armed_group"),
    ("گردان‌های {n}", "{n} Battalions", "armed_group"),
)
OUTLET_TEMPLATES = (
    ("خبرگزاری {n}", "{n} News Agency", "fa"),
    ("روزنامهٔ {n}", "{n} Daily", "fa"),
    ("{n} Times", "The {n} Times", "en"),
    ("شبکهٔ خبری {n}", "{n} News Network", "en"),
    ("وکالت {n}", "{n} Agency", "ar"),
    ("پایگاه خبری {n}", "{n} News", "ar"),
)
ROLES_HELD = (
    ("مشاور نخست‌وزیر", "adviser to the Prime Minister", "مستشار رئيس الوزراء"),
    ("سخنگوی", "spokesperson of", "المتحدث باسم"),
    ("وزیر", "minister,", "وزير"),
    ("فرماندهٔ", "commander of", "قائد"),
    ("نمایندهٔ ویژه در", "special envoy to", "المبعوث الخاص إلى"),
)
LATIN_ITEMS = ("F-16", "C-130J", "MQ-9 Reaper", "HIMARS", "Bell 407", "T-50IQ", "Mi-17", "UH-60")
TAGS = (
    "coalition-mission",
    "security-cooperation",
    "defence-relations",
    "withdrawal",
    "counter-terrorism",
    "drone-attacks",
    "border-crossings",
    "reconstruction",
    "oil",
    "elections",
    "diplomacy",
    "training",
    "air-defence",
    "detentions",
    "displacement",
    "sanctions",
    "ceasefire",
    "humanitarian-aid",
    "energy",
    "water",
)

# A clause is the same statement in Persian, English and Arabic, with slots: {a} actor,
# {b} counterpart, {p} place, {n} a number, {y} a year, {x} a Latin-script item.
# The Persian side keeps its ZWNJ compounds (می‌گیرند, نخست‌وزیر); the English side carries
# Persian runs in «», as the real sheets do.
EVENT_CLAUSES = (
    (
        "نیروهای {a} طی روزهای آینده مقر {b} در {p} را تحویل می‌گیرند",
        "{a}'s forces will take over {b}'s headquarters in {p} in the coming days",
        "ستتسلم قوات {a} مقر {b} في {p} خلال الأيام المقبلة",
    ),
    (
        "{a} و {b} یادداشت تفاهمی دربارهٔ همکاری امنیتی مشترک امضا کردند",
        "{a} and {b} signed a memorandum of understanding on joint security cooperation",
        "وقّع {a} و{b} مذكرة تفاهم للتعاون الأمني المشترك",
    ),
    (
        "هیئتی از {a} برای گفت‌وگو با {b} به {p} سفر کرد",
        "a delegation from {a} travelled to {p} for talks with {b}",
        "وصل وفد من {a} إلى {p} لإجراء محادثات مع {b}",
    ),
    (
        "{a} از آغاز مرحلهٔ دوم خروج نیروها از {p} خبر داد",
        "{a} announced the start of the second phase of the withdrawal of forces from {p}",
        "أعلن {a} بدء المرحلة الثانية من انسحاب القوات من {p}",
    ),
    (
        "حملهٔ پهپادی به پایگاهی در {p} دست‌کم {n} زخمی بر جای گذاشت",
        "a drone attack on a base in {p} left at least {n} people wounded",
        "أسفر هجوم بطائرة مسيّرة على قاعدة في {p} عن إصابة {n} أشخاص على الأقل",
    ),
    (
        "{a} تعداد {n} فروند هواپیمای {x} را به {b} تحویل داد",
        "{a} delivered {n} {x} aircraft to {b}",
        "سلّم {a} {n} طائرات من طراز {x} إلى {b}",
    ),
    (
        "نشست مشترک {a} و {b} در {p} به تعویق افتاد",
        "the joint meeting of {a} and {b} in {p} was postponed",
        "تأجل الاجتماع المشترك بين {a} و{b} في {p}",
    ),
    (
        "رزمایش مشترک {a} و {b} در نزدیکی {p} برگزار شد",
        "{a} and {b} held a joint exercise near {p}",
        "أجرى {a} و{b} مناورات مشتركة قرب {p}",
    ),
    (
        "{a} بودجهٔ {n} میلیون دلاری برای بازسازی {p} تصویب کرد",
        "{a} approved a budget of {n} million dollars to rebuild {p}",
        "أقرّ {a} ميزانية بقيمة {n} مليون دولار لإعادة إعمار {p}",
    ),
    (
        "گذرگاه مرزی {p} پس از {n} روز بازگشایی شد و {a} مسئولیت آن را بر عهده گرفت",
        "the {p} border crossing reopened after {n} days, with {a} in charge of it",
        "أعيد فتح منفذ {p} الحدودي بعد {n} يوماً وتولى {a} إدارته",
    ),
    (
        "مذاکرات {a} و {b} دربارهٔ برنامهٔ زمان‌بندی خروج نیروها در {p} ادامه یافت",
        "talks between {a} and {b} on the timetable for the withdrawal of forces continued in {p}",
        "استمرت المفاوضات بين {a} و{b} حول الجدول الزمني لانسحاب القوات في {p}",
    ),
    (
        "مأموریت {b} در {p} تا سال {y} به پایان می‌رسد",
        "{b}'s mission in {p} is to end by {y}",
        "تنتهي مهمة {b} في {p} بحلول عام {y}",
    ),
)
STATEMENT_CLAUSES = (
    (
        "{a} بر پایبندی به توافق‌نامهٔ چارچوب راهبردی با {b} تأکید کرد",
        "{a} stressed its commitment to the Strategic Framework Agreement with {b}",
        "أكد {a} التزامه باتفاقية الإطار الاستراتيجي مع {b}",
    ),
    (
        "{a} گفت که هیچ نیروی خارجی پس از سال {y} در {p} باقی نخواهد ماند",
        "{a} said that no foreign forces would remain in {p} after {y}",
        "قال {a} إنه لن تبقى أي قوات أجنبية في {p} بعد عام {y}",
    ),
    (
        "{a} همکاری با {b} را «راهبردی» خواند",
        "{a} called cooperation with {b} «راهبردی» ('strategic')",
        "وصف {a} التعاون مع {b} بأنه استراتيجي",
    ),
    (
        "{a} گزارش‌های منتشرشده دربارهٔ حضور نیروهای {b} در {p} را نادرست خواند",
        "{a} called the published reports about {b}'s forces in {p} untrue",
        "نفى {a} التقارير المنشورة عن وجود قوات {b} في {p}",
    ),
    (
        "{a} خواستار گفت‌وگوی مستقیم با {b} دربارهٔ امنیت {p} شد",
        "{a} called for direct talks with {b} on security in {p}",
        "دعا {a} إلى حوار مباشر مع {b} بشأن أمن {p}",
    ),
    (
        "{a} از نقش {b} در آموزش نیروهای مستقر در {p} قدردانی کرد",
        "{a} praised {b}'s role in training the forces based in {p}",
        "أشاد {a} بدور {b} في تدريب القوات المتمركزة في {p}",
    ),
    (
        "{a} هشدار داد که تهدید {b} در {p} هنوز پایان نیافته است",
        "{a} warned that the threat from {b} in {p} is not over yet",
        "حذّر {a} من أن تهديد {b} في {p} لم ينتهِ بعد",
    ),
)
# Sentences that lengthen a text without new names; the Persian one carries a mixed run.
FILLERS = (
    (
        "این گام بخشی از روندی است که در سال‌های 2014–2017 آغاز شد.",
        "This step is part of a process that began in 2014–2017.",
    ),
    (
        "به گفتهٔ منبع، جزئیات بیشتری منتشر نشده است.",
        "According to the source, no further details have been published.",
    ),
    (
        "منبع نام مقام‌های حاضر در نشست را ذکر نمی‌کند.",
        "The source does not name the officials at the meeting.",
    ),
    (
        "این موضوع پیش‌تر در گزارش UNAMI نیز آمده بود.",
        "The matter had earlier appeared in a UNAMI report as well.",
    ),
    (
        "هم‌زمان، نیروهای امنیتی در منطقه به حالت آماده‌باش درآمدند.",
        "At the same time, security forces in the area were put on alert.",
    ),
    (
        "گزارش‌ها از حضور هواپیماهای C-130 در فرودگاه حکایت دارند.",
        "Reports point to C-130 aircraft at the airport.",
    ),
)
DATE_NOTES = (
    (
        "به تعبیر منبع «طی روزهای آینده»؛ روز دقیقی ذکر نشده است.",
        "The source says «طی روزهای آینده» ('in the coming days'); no exact day is given.",
    ),
    (
        "تاریخ سخنان گوینده؛ منبع آن را «امروز» می‌نامد.",
        "The date of the remarks; the source calls it «امروز» ('today').",
    ),
    ("منبع فقط سال را ذکر می‌کند.", "The source gives only the year."),
    ("منبع تاریخی برای این رویداد ذکر نمی‌کند.", "The source gives no date for this event."),
)
DEPRECATION_REASONS = (
    (
        "منبعی بعدی نشان داد که این رویداد رخ نداده است.",
        "A later source showed that this event did not take place.",
    ),
    (
        "رقم اعلام‌شده بعداً از سوی همان منبع اصلاح شد.",
        "The figure was later corrected by the same source.",
    ),
)
SOURCE_KINDS = (
    "news_article",
    "news_article",
    "news_article",
    "interview",
    "press_release",
    "official_document",
    "statement",
    "report",
    "social_media_post",
    "broadcast",
)
EVENT_STATUSES = ("planned", "underway", "happened", "postponed", "cancelled", "unclear")
ROLES = ("actor", "counterpart", "supporter", "target", "subject")
LANGUAGE_NAMES = {
    "fa": ("فارسی", "Persian"),
    "en": ("انگلیسی", "English"),
    "ar": ("عربی", "Arabic"),
}


# -- small helpers -------------------------------------------------------------------------


def slug(text: str, limit: int = 44) -> str:
    """A kebab-case id fragment from Latin text, cut at a hyphen."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(s) > limit:
        s = s[:limit].rsplit("-", 1)[0]
    return s or "x"


def fa_digits(text: str) -> str:
    return text.translate(_TO_FA_DIGITS)


def to_arabic_letters(fa: str) -> str:
    """The Arabic spelling of a Persian name: the letters search folding must meet again."""
    return fa.replace("ی", "ي").replace("ک", "ك").replace(ZWNJ, " ")


def without_zwnj(fa: str) -> str:
    """As many real sources print it: the ZWNJ lost (نخستوزیر for نخست‌وزیر)."""
    return fa.replace(ZWNJ, "")


@dataclass
class Name:
    fa: str
    en: str
    ar: str


@dataclass
class Ids:
    """Ids are unique across all kinds; a clash gets the next free number."""

    taken: set[str] = field(default_factory=set)

    def new(self, base: str) -> str:
        candidate, n = base, 2
        while candidate in self.taken:
            candidate = f"{base}-{n}"
            n += 1
        self.taken.add(candidate)
        return candidate


def generated_word(rng: random.Random, lo: int = 2, hi: int = 3) -> Name:
    """A pronounceable name from syllables; sometimes a ZWNJ compound in Persian."""
    parts = [rng.choice(SYLLABLES) for _ in range(rng.randint(lo, hi))]
    joiner = ZWNJ if rng.random() < 0.25 else ""
    fa = joiner.join(p[0] for p in parts)
    en = "".join(p[1] for p in parts).capitalize()
    return Name(fa, en, to_arabic_letters(fa))


def weighted_pick(
    rng: random.Random, hubs: Sequence[str], tail: Sequence[str], hub_share: float
) -> str:
    if tail and (not hubs or rng.random() >= hub_share):
        return rng.choice(tail)
    return rng.choice(hubs)


def random_day(rng: random.Random, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def jalali(d: date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=d)


# -- the content -----------------------------------------------------------------------------


@dataclass
class Synth:
    sheets: int
    seed: int = 1
    rng: random.Random = field(init=False)
    ids: Ids = field(default_factory=Ids)
    records: dict[str, dict[str, dict[str, Any]]] = field(init=False)
    names: dict[str, Name] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.records = {"sheets": {}, "sources": {}, "parties": {}, "places": {}}
        self.hub_states: list[str] = []
        self.hub_parties: list[str] = []
        self.persons: list[str] = []
        self.tail_parties: list[str] = []
        self.outlets: list[tuple[str, str]] = []  # (id, language)
        self.hub_places: list[str] = []
        self.tail_places: list[str] = []
        self.source_ids: list[str] = []
        self.source_lang: dict[str, str] = {}
        self.source_day: dict[str, date] = {}
        self.planned: list[str] = []  # sheet#fact refs of planned events, for `updates`

    def build(self) -> dict[str, dict[str, dict[str, Any]]]:
        n = self.sheets
        self._hub_parties()
        self._outlets(max(6, round(n * OUTLETS_PER_SHEET)))
        self._tail_parties(max(20, round(n * PARTIES_PER_SHEET)))
        self._places(max(10, round(n * PLACES_PER_SHEET)))
        self._sources(max(2, round(n * SOURCES_PER_SHEET)))
        self._positions()
        for i in range(n):
            self._sheet(i)
        return self.records

    # parties ---------------------------------------------------------------------------

    def _party(self, pid: str, name: Name, **fields: Any) -> None:
        self.names[pid] = name
        record: dict[str, Any] = {
            "type": fields.pop("type"),
            "name": {"fa": name.fa, "en": name.en},
        }
        record.update({k: v for k, v in fields.items() if v is not None})
        self.records["parties"][pid] = record

    def _hub_parties(self) -> None:
        for fa, en, ar, pid, type_, country in HUB_PARTIES:
            pid = self.ids.new(pid)
            self._party(
                pid,
                Name(fa, en, ar),
                type=type_,
                other_names=[{"text": ar, "lang": "ar"}, {"text": without_zwnj(fa), "lang": "fa"}]
                if ZWNJ in fa
                else [{"text": ar, "lang": "ar"}],
                country=country,
            )
            self.hub_parties.append(pid)
            if type_ == "state":
                self.hub_states.append(pid)

    def _outlets(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            fa_t, en_t, lang = rng.choice(OUTLET_TEMPLATES)
            word = generated_word(rng)
            name = Name(
                fa_t.format(n=word.fa),
                en_t.format(n=word.en),
                to_arabic_letters(fa_t.format(n=word.fa)),
            )
            pid = self.ids.new(slug(name.en))
            self._party(
                pid,
                name,
                type="organization",
                description={
                    "fa": f"رسانه‌ای که به زبان {LANGUAGE_NAMES[lang][0]} منتشر می‌شود.",
                    "en": f"An outlet publishing in {LANGUAGE_NAMES[lang][1]}.",
                },
                website=f"https://{slug(word.en)}.example.org/",
            )
            self.outlets.append((pid, lang))

    def _tail_parties(self, count: int) -> None:
        rng = self.rng
        for _ in range(count):
            roll = rng.random()
            if roll < 0.5:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                if rng.random() < 0.5:  # the long tail: surnames seen once
                    word = generated_word(rng)
                    last = (word.fa + "ی", word.en + "i")
                name = Name(
                    f"{first[0]} {last[0]}",
                    f"{first[1]} {last[1]}",
                    to_arabic_letters(f"{first[0]} {last[0]}"),
                )
                pid = self.ids.new(slug(name.en))
                others = [{"text": name.ar, "lang": "ar"}]
                if rng.random() < 0.3:
                    others.append(
                        {
                            "text": name.en.replace("Mohammad", "Muhammad").replace(
                                "Hussein", "Husain"
                            ),
                            "lang": "en",
                        }
                    )
                self._party(
                    pid,
                    name,
                    type="person",
                    other_names=others,
                    country=rng.choice(("IQ", "IQ", "IQ", "IR", "SY", "US")),
                )
                self.persons.append(pid)
            else:
                fa_t, en_t, type_ = rng.choice(ORG_TEMPLATES)
                word = generated_word(rng)
                state = self.names[rng.choice(self.hub_states)]
                fa = fa_t.format(n=word.fa, c=state.fa)
                en = en_t.format(n=word.en, c=state.en)
                pid = self.ids.new(slug(en))
                self._party(
                    pid,
                    Name(fa, en, to_arabic_letters(fa)),
                    type=type_,
                    other_names=[{"text": to_arabic_letters(fa), "lang": "ar"}],
                    description={
                        "fa": f"نهادی که در گزارش‌ها با نام «{fa}» آمده است.",
                        "en": f"A body the reports call {en}.",
                    },
                    parent=rng.choice(self.hub_states) if "{c}" in fa_t else None,
                )
            self.tail_parties.append(pid)

    def _positions(self) -> None:
        """Half the people hold a role, each backed by a source (so sources exist first)."""
        rng = self.rng
        for pid in self.persons:
            if rng.random() >= 0.5:
                continue
            role = rng.choice(ROLES_HELD)
            org = weighted_pick(rng, self.hub_parties, self.tail_parties, 0.5)
            source = rng.choice(self.source_ids)
            position: dict[str, Any] = {
                "role": {
                    "fa": role[0] + " " + self.names[org].fa,
                    "en": role[1].rstrip(",") + " " + self.names[org].en,
                },
                "organization": org,
            }
            if rng.random() < 0.7:
                position["as_of"] = self.source_day[source].isoformat()
            else:
                position["start"] = str(self.source_day[source].year - rng.randint(0, 5))
            position["source"] = source
            self.records["parties"][pid]["positions"] = [position]

    # places -----------------------------------------------------------------------------

    def _place(
        self,
        pid: str,
        name: Name,
        kind: str,
        country: str,
        lat: float,
        lon: float,
        within: str | None,
    ) -> None:
        rng = self.rng
        self.names[pid] = name
        record: dict[str, Any] = {
            "kind": kind,
            "name": {"fa": name.fa, "en": name.en},
            "other_names": [{"text": name.ar, "lang": "ar"}],
        }
        if rng.random() < 0.6:
            record["description"] = {
                "fa": f"مکانی در {self.names[within].fa if within else 'منطقه'}.",
                "en": f"A place in {self.names[within].en if within else 'the region'}.",
            }
        record["country"] = country
        if within:
            record["within"] = within
        record["geo"] = {
            "lat": f"{lat:.4f}",
            "lon": f"{lon:.4f}",
            "precision": rng.choice(("exact", "approximate", "centroid")),
            "source": f"https://www.openstreetmap.org/node/{rng.randint(10**6, 10**9)}",
        }
        if rng.random() < 0.3:
            ident: dict[str, str] = {
                "geonames": str(rng.randint(10**5, 10**7)),
                "osm": f"way/{rng.randint(10**5, 10**9)}",
            }
            if kind == "base":
                ident["icao"] = "OR" + "".join(
                    rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2)
                )
            record["identifiers"] = ident
        self.records["places"][pid] = record

    def _places(self, count: int) -> None:
        rng = self.rng
        for fa, en, ar, pid, kind, country, lat, lon in HUB_PLACES:
            pid = self.ids.new(pid)
            within = "al-anbar-province" if pid == "ain-al-asad-air-base" else None
            self._place(pid, Name(fa, en, ar), kind, country, lat, lon, within)
            self.hub_places.append(pid)
        provinces: list[str] = [
            p for p in self.hub_places if self.records["places"][p]["kind"] == "province"
        ]
        cities: list[str] = [
            p for p in self.hub_places if self.records["places"][p]["kind"] == "city"
        ]
        for i in range(count):
            word = generated_word(rng)
            lat, lon = rng.uniform(29.5, 37.0), rng.uniform(39.0, 48.5)
            if i % 10 == 0:
                kind, name, within = (
                    "province",
                    Name(f"استان {word.fa}", f"{word.en} Province", f"محافظة {word.ar}"),
                    None,
                )
            elif i % 3 == 0:
                kind, name, within = "city", word, rng.choice(provinces)
            else:
                kind = rng.choice(("base", "district", "facility", "region"))
                prefix = {
                    "base": ("پایگاه", "Air Base", "قاعدة"),
                    "district": ("بخش", "District", "قضاء"),
                    "facility": ("پالایشگاه", "Refinery", "مصفى"),
                    "region": ("منطقهٔ", "Region", "منطقة"),
                }[kind]
                name = Name(
                    f"{prefix[0]} {word.fa}", f"{word.en} {prefix[1]}", f"{prefix[2]} {word.ar}"
                )
                within = rng.choice(cities + provinces)
            pid = self.ids.new(slug(name.en))
            self._place(pid, name, kind, "IQ", lat, lon, within)
            self.tail_places.append(pid)
            if kind == "province":
                provinces.append(pid)
            elif kind == "city":
                cities.append(pid)

    # sources ------------------------------------------------------------------------------

    def _sources(self, count: int) -> None:
        rng = self.rng
        start = date(2014, 1, 1)
        span = (date(2026, 6, 30) - start).days
        for i in range(count):
            # Spread in time in source order, so a sheet's nearby sources are nearby in time too.
            day = start + timedelta(days=min(span, int(span * i / count) + rng.randint(0, 20)))
            outlet, lang = rng.choice(self.outlets)
            kind = rng.choice(SOURCE_KINDS)
            topic = generated_word(rng)
            clause = rng.choice(EVENT_CLAUSES)
            slots = self._slots_names(topic)
            title_fa = f"گزارش {self.names[outlet].fa} دربارهٔ {topic.fa}: " + clause[0].format(
                **slots["fa"]
            )
            title_en = f"{self.names[outlet].en} on {topic.en}: " + clause[1].format(**slots["en"])
            sid = self.ids.new(f"{day.isoformat()}-{slug(self.names[outlet].en, 30)}")
            record: dict[str, Any] = {"kind": kind, "title": {"fa": title_fa, "en": title_en}}
            headline = {"fa": clause[0], "en": clause[1], "ar": clause[2]}[lang].format(
                **slots[lang]
            )
            record["headline"] = headline
            record["headline_translation"] = {
                k: clause[j].format(**slots[k]) for j, k in ((0, "fa"), (1, "en")) if k != lang
            }
            record["publisher"] = outlet
            record["language"] = lang
            record["published"] = day.isoformat()
            if rng.random() < 0.5:
                author = self.names[rng.choice(self.persons)] if self.persons else topic
                record["author"] = {"fa": author.fa, "en": author.en, "ar": author.ar}[lang]
            if rng.random() < 0.8:
                record["url"] = (
                    f"https://{slug(self.names[outlet].en, 20)}.example.org/"
                    f"{day.year}/{day.month:02d}/{slug(topic.en)}-{i}"
                )
                if rng.random() < 0.4:
                    record["archive_url"] = (
                        f"https://web.archive.org/web/{day.strftime('%Y%m%d')}000000/{record['url']}"
                    )
                record["accessed"] = (day + timedelta(days=rng.randint(0, 30))).isoformat()
            if self.source_ids and rng.random() < 0.15:
                agency = rng.choice(self.outlets)[0]
                based: dict[str, Any] = {
                    "party": agency,
                    "kind": rng.choice(
                        ("interview", "report", "statement", "press_conference", "document")
                    ),
                }
                if rng.random() < 0.5:
                    based["source"] = rng.choice(self.source_ids[-50:])
                if rng.random() < 0.5:
                    based["note"] = {
                        "fa": f"{self.names[outlet].fa} می‌نویسد این گفته‌ها را "
                        f"از {self.names[agency].fa} نقل کرده است.",
                        "en": f"{self.names[outlet].en} says it took these remarks "
                        f"from {self.names[agency].en}.",
                    }
                record["based_on"] = [based]
            if rng.random() < 0.1:
                record["note"] = {
                    "fa": "تیتر اصلی این گزارش در دست نیست؛ "
                    "نیم‌فاصله‌ها در متن اصلی از میان رفته‌اند.",
                    "en": "The report's original headline is not known to us; "
                    "the original text lost its zero-width non-joiners.",
                }
            self.records["sources"][sid] = record
            self.source_ids.append(sid)
            self.source_lang[sid] = lang
            self.source_day[sid] = day

    # sheets --------------------------------------------------------------------------------

    def _slots_names(self, extra: Name | None = None) -> dict[str, dict[str, str]]:
        """Names for one clause's slots, in each language."""
        rng = self.rng
        a = self.names[weighted_pick(rng, self.hub_parties, self.tail_parties, 0.3)]
        b = self.names[weighted_pick(rng, self.hub_parties, self.tail_parties, 0.5)]
        p = (
            self.names[weighted_pick(rng, self.hub_places, self.tail_places, 0.2)]
            if self.hub_places
            else (extra or a)
        )
        n = rng.randint(2, 240)
        y = rng.randint(2014, 2030)
        x = rng.choice(LATIN_ITEMS)
        return {
            "fa": {
                "a": a.fa,
                "b": b.fa,
                "p": p.fa,
                "n": fa_digits(str(n)),
                "y": fa_digits(str(y)),
                "x": x,
            },
            "en": {"a": a.en, "b": b.en, "p": p.en, "n": str(n), "y": str(y), "x": x},
            "ar": {"a": a.ar, "b": b.ar, "p": p.ar, "n": str(n), "y": str(y), "x": x},
        }

    def _fact_slots(
        self, actor: str, counterpart: str, place: str | None
    ) -> dict[str, dict[str, str]]:
        rng = self.rng
        a, b = self.names[actor], self.names[counterpart]
        p = self.names[place] if place else Name("منطقه", "the region", "المنطقة")
        n, y, x = rng.randint(2, 240), rng.randint(2014, 2030), rng.choice(LATIN_ITEMS)
        return {
            "fa": {
                "a": a.fa,
                "b": b.fa,
                "p": p.fa,
                "n": fa_digits(str(n)),
                "y": fa_digits(str(y)),
                "x": x,
            },
            "en": {"a": a.en, "b": b.en, "p": p.en, "n": str(n), "y": str(y), "x": x},
            "ar": {"a": a.ar, "b": b.ar, "p": p.ar, "n": str(n), "y": str(y), "x": x},
        }

    def _date(self, around: date) -> tuple[dict[str, str], date | None]:
        """One date in one of the profile's forms, Gregorian or Solar Hijri or both."""
        rng = self.rng
        d = around + timedelta(days=rng.randint(-60, 30))
        later = d + timedelta(days=rng.randint(40, 900))
        form = rng.choices(
            (
                "day",
                "month",
                "year",
                "approx",
                "uncertain",
                "both_q",
                "interval",
                "open_end",
                "open_start",
                "before",
                "after",
                "jalali_day",
                "jalali_month",
                "jalali_both",
                "none",
            ),
            weights=(30, 14, 4, 5, 4, 2, 5, 3, 2, 4, 3, 8, 3, 6, 7),
        )[0]
        j = jalali(d)
        if form == "day":
            return {"date": d.isoformat()}, d
        if form == "month":
            return {"date": d.strftime("%Y-%m")}, d
        if form == "year":
            return {"date": str(d.year)}, d
        if form == "approx":
            return {"date": d.strftime("%Y-%m") + "~"}, d
        if form == "uncertain":
            return {"date": d.isoformat() + "?"}, d
        if form == "both_q":
            return {"date": d.isoformat() + "%"}, d
        if form == "interval":
            return {
                "date": f"{d.year}/{later.year}"
                if later.year > d.year
                else f"{d.strftime('%Y-%m')}/{later.strftime('%Y-%m')}"
            }, d
        if form == "open_end":
            return {"date": f"{d.strftime('%Y-%m')}/.."}, d
        if form == "open_start":
            return {"date": f"../{d.isoformat()}"}, d
        if form == "before":
            return {"date": f"[..{later.strftime('%Y-%m')}]"}, later
        if form == "after":
            return {"date": f"[{d.strftime('%Y-%m')}..]"}, d
        if form == "jalali_day":
            return {"date_jalali": f"{j.year:04d}-{j.month:02d}-{j.day:02d}"}, d
        if form == "jalali_month":
            return {"date_jalali": f"{j.year:04d}-{j.month:02d}"}, d
        if form == "jalali_both":
            return {
                "date": d.isoformat(),
                "date_jalali": f"{j.year:04d}-{j.month:02d}-{j.day:02d}",
            }, d
        return {}, None

    def _text(
        self, clause: tuple[str, str, str], slots: dict[str, dict[str, str]], said_by: str | None
    ) -> dict[str, str]:
        """The fact in our words: attributed to its speaker, sometimes with context after it."""
        rng = self.rng
        fa, en = clause[0].format(**slots["fa"]), clause[1].format(**slots["en"])
        if said_by:
            speaker = self.names[said_by]
            fa, en = f"به گفتهٔ {speaker.fa}، {fa}", f"According to {speaker.en}, {en}"
        fa, en = fa + ".", en[0].upper() + en[1:] + "."
        for filler in rng.sample(FILLERS, rng.choice((0, 1, 1, 2))):
            fa, en = f"{fa} {filler[0]}", f"{en} {filler[1]}"
        return {"fa": fa, "en": en}

    def _citation(
        self,
        clause: tuple[str, str, str],
        slots: dict[str, dict[str, str]],
        source: str,
        published: bool,
    ) -> dict[str, Any]:
        rng = self.rng
        lang = self.source_lang[source]
        cite: dict[str, Any] = {"source": source}
        if published or rng.random() < 0.5:
            quote = {"fa": clause[0], "en": clause[1], "ar": clause[2]}[lang].format(**slots[lang])
            if lang == "fa" and rng.random() < 0.5:
                quote = without_zwnj(quote)
            cite["quote"] = quote
            cite["translation"] = {
                k: clause[j].format(**slots[k]) for j, k in ((0, "fa"), (1, "en")) if k != lang
            }
        roll = rng.random()
        if roll < 0.7:
            cite["paragraph"] = rng.randint(1, 12)
        elif roll < 0.85:
            cite["locator"] = rng.choice(
                ("headline", "caption of the second photo", "minute 03:40 of the video")
            )
        if "quote" in cite and rng.random() < 0.03:
            cite["locator"] = "adapted: the source splits this sentence across two paragraphs"
            cite["not_verbatim"] = True
        return cite

    def _sheet(self, i: int) -> None:
        rng = self.rng
        n_sources = len(self.source_ids)
        own = self.source_ids[min(n_sources - 1, i * n_sources // self.sheets)]
        window = self.source_ids[
            max(0, i * n_sources // self.sheets - 30) : i * n_sources // self.sheets + 30
        ]
        sources = [own] + [rng.choice(window) for _ in range(rng.choice((0, 0, 1, 2)))]
        sources = list(dict.fromkeys(sources))
        around = self.source_day[own]
        published = rng.random() < 0.92
        kind = rng.choices(("event", "process", "topic"), weights=(60, 25, 15))[0]
        place_focus = weighted_pick(rng, self.hub_places, self.tail_places, 0.2)
        n_facts = rng.choices(range(2, 10), weights=(8, 14, 18, 18, 14, 12, 9, 7))[0]
        facts: list[dict[str, Any]] = []
        fact_ids = Ids()
        texts: list[dict[str, str]] = []
        sheet_id_base = None
        for _ in range(n_facts):
            is_event = rng.random() < 0.65
            clause = rng.choice(EVENT_CLAUSES if is_event else STATEMENT_CLAUSES)
            actor = weighted_pick(rng, self.hub_parties, self.tail_parties, 0.25)
            counterpart = weighted_pick(rng, self.hub_parties, self.tail_parties, 0.4)
            if counterpart == actor:
                counterpart = rng.choice(self.hub_parties)
            place = (
                place_focus
                if rng.random() < 0.6
                else weighted_pick(rng, self.hub_places, self.tail_places, 0.2)
            )
            said_by = rng.choice(self.persons) if self.persons and rng.random() < 0.6 else None
            slots = self._fact_slots(actor, counterpart, place)
            text = self._text(clause, slots, said_by)
            texts.append(
                {lang: clause[j].format(**slots[lang]) for j, lang in ((0, "fa"), (1, "en"))}
            )
            fid = fact_ids.new(slug(clause[1].format(**slots["en"]).split(" in ")[0], 36))
            if sheet_id_base is None:
                sheet_id_base = slug(f"{self.names[place_focus].en} {fid}", 50)
            fact: dict[str, Any] = {"id": fid, "kind": "event" if is_event else "statement"}
            fact["text"] = text
            status = None
            if is_event:
                status = rng.choices(EVENT_STATUSES, weights=(25, 8, 50, 5, 4, 8))[0]
                fact["status"] = status
            dates, _ = self._date(around)
            fact.update(dates)
            if not dates or rng.random() < 0.12:
                note = DATE_NOTES[3] if not dates else rng.choice(DATE_NOTES[:3])
                fact["date_note"] = {"fa": note[0], "en": note[1]}
            if "{p}" in clause[0]:
                fact["place"] = place
            parties = [
                {"party": actor, "role": "actor"},
                {"party": counterpart, "role": "counterpart"},
            ]
            for _ in range(rng.choice((0, 0, 1, 2))):
                extra = weighted_pick(rng, self.hub_parties, self.tail_parties, 0.3)
                if extra not in (p["party"] for p in parties):
                    parties.append({"party": extra, "role": rng.choice(ROLES[2:])})
            fact["parties"] = parties
            if said_by:
                fact["said_by"] = said_by
            if (
                is_event
                and status in ("happened", "cancelled", "postponed")
                and self.planned
                and rng.random() < 0.15
            ):
                fact["updates"] = rng.choice(self.planned[-200:])
            if rng.random() < 0.15:
                fact["background"] = True
            if rng.random() < 0.02:
                fact["rank"] = "deprecated"
                reason = rng.choice(DEPRECATION_REASONS)
                fact["rank_reason"] = {"fa": reason[0], "en": reason[1]}
            # A second citation is another source reporting it, never the same words twice.
            n_cites = min(len(sources), rng.choices((1, 2, 3), weights=(60, 30, 10))[0])
            cited = rng.sample(sources, n_cites)
            fact["cite"] = [self._citation(clause, slots, source, published) for source in cited]
            facts.append(fact)
        sid = self.ids.new(sheet_id_base or f"sheet-{i}")
        for fact in facts:
            if fact.get("status") == "planned":
                self.planned.append(f"{sid}#{fact['id']}")
        main = next((f for f in facts if f["kind"] == "event"), facts[0])
        clause = texts[facts.index(main)]
        first = main["text"]
        second = facts[(facts.index(main) + 1) % len(facts)]["text"]
        place_name = self.names[place_focus]
        record: dict[str, Any] = {
            "kind": kind,
            "status": "published" if published else "draft",
            "title": {
                "fa": f"{place_name.fa}: {clause['fa']}",
                "en": f"{place_name.en}: {clause['en'][0].upper()}{clause['en'][1:]}",
            },
            "summary": {
                "fa": f"{first['fa']} {second['fa']}",
                "en": f"{first['en']} {second['en']}",
            },
        }
        if kind == "event" or rng.random() < 0.3:
            record["main_fact"] = main["id"]
        tags = sorted({rng.choice(TAGS) for _ in range(rng.choice((0, 1, 2, 3, 4)))})
        if tags:
            record["tags"] = tags
        earlier = list(self.records["sheets"])
        if earlier and rng.random() < 0.5:
            record["related"] = list(
                dict.fromkeys(rng.choice(earlier[-300:]) for _ in range(rng.randint(1, 3)))
            )
        record["facts"] = facts
        self.records["sheets"][sid] = record


# -- writing ---------------------------------------------------------------------------------


def to_yaml(value: Any, indent: int = 0) -> str:
    """A small YAML emitter: block style, every string double-quoted (JSON escapes are YAML's
    too), so nothing is retyped by a reader and the strict loader sees exactly this text."""
    pad = "  " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, dict | list):
                lines.append(f"{pad}{key}:\n{to_yaml(item, indent + 1)}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}\n")
        return "".join(lines)
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                inner = to_yaml(item, indent + 1)
                lines.append(f"{pad}- {inner[len(pad) + 2 :]}")
            else:
                lines.append(f"{pad}- {_scalar(item)}\n")
        return "".join(lines)
    return f"{pad}{_scalar(value)}\n"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"-?[0-9]+\.[0-9]+", value):
        return value  # coordinates: plain decimal numbers
    return json.dumps(value, ensure_ascii=False)


def write_content(records: dict[str, dict[str, dict[str, Any]]], out: Path) -> int:
    """Write one YAML file per record under ``out`` (replaced if present); returns the count."""
    if out.exists():
        shutil.rmtree(out)
    count = 0
    for kind_dir, by_id in records.items():
        folder = out / kind_dir
        folder.mkdir(parents=True)
        for record_id, record in by_id.items():
            (folder / f"{record_id}.yaml").write_text(to_yaml(record), encoding="utf-8")
            count += 1
    return count


def generate(sheets: int, out: Path, seed: int = 1) -> dict[str, int]:
    """Generate and write the content of ``sheets`` sheets; returns counts by kind."""
    records = Synth(sheets, seed).build()
    write_content(records, out)
    counts = {kind: len(by_id) for kind, by_id in records.items()}
    counts["facts"] = sum(len(s["facts"]) for s in records["sheets"].values())
    return counts


def main(argv: Sequence[str] | None = None, *, _print: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sheets", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "-o", "--out", type=Path, required=True, help="content directory to (re)create"
    )
    args = parser.parse_args(argv)
    counts = generate(args.sheets, args.out, args.seed)
    _print(", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
