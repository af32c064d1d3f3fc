"""A synthetic national corpus: province and commune plans cascading from the central directives.

The 2025 administrative units come from the gazetteer (vietnam-provinces): 34 provinces and
3,321 communes. Each province issues plans implementing a central directive (Kế hoạch … thực hiện
Kế hoạch 02-KH/BCĐTW …); each chosen commune issues plans implementing one of its province's plans.
A plan has the samples' structure (data/samples): header block, "Căn cứ / Thực hiện" lines,
numbered tasks with lead and supporting units and a deadline, and an appendix table. OCR damage
is applied with a seeded model like the samples' (bench/data/corpus.yaml): lost or misread
diacritics, Đ read as P/B/D, garbled short words, identifiers split or misread.

Everything is deterministic in (seed, communes, plans, tasks). A `manifest.json` next to the text
files records what each file is meant to say (id, jurisdiction, the plan it implements, its tasks).

    .venv/bin/python bench/generate.py OUT --communes 100 [--plans 5] [--tasks 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from queries.places import Unit, communes, provinces  # noqa: E402

DATA = Path(__file__).parent / "data" / "corpus.yaml"
LINE_WIDTH = 84
PROVINCE_PLANS = 5
MANIFEST = "manifest.json"
#: plans are dated after the July 2025 reform, so the 2025 commune names are the ones in force
REFORM = date(2025, 7, 1)


@cache
def phrases() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@dataclass
class PlanSpec:
    """What one generated file says (the manifest row)."""

    file: str
    id: str
    level: str  # province | commune
    province: str
    jurisdiction: str
    date: str  # ISO
    implements: dict  # {id, jurisdiction, date}
    based_on: list[dict] = field(default_factory=list)
    tasks: int = 0
    appendix_tasks: int = 0


# ---- choosing the cascade -----------------------------------------------------------------------


def chosen_communes(count: int) -> list[Unit]:
    """`count` communes spread evenly over the sorted gazetteer, so every province gets its share."""
    every = communes()
    count = max(0, min(count, len(every)))
    return [every[i * len(every) // count] for i in range(count)] if count else []


def _numbers(rng: random.Random, count: int, top: int) -> list[int]:
    return rng.sample(range(1, top), count)


def _after(rng: random.Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


def national_documents() -> list[PlanSpec]:
    """The central documents with a header in the phrase table, each implementing the root."""
    table = phrases()
    root = _central(table["root"])
    return [PlanSpec(file=f"n{k:02d}.txt", id=c["id"], level="national", province="", jurisdiction="national",
                     date=_iso_vn(c["date"]).isoformat(),
                     implements={"id": root["id"], "jurisdiction": "national",
                                 "date": _iso_vn(root["date"]).isoformat()})
            for k, c in enumerate(table["central"]) if c.get("header")]


def _central(doc_id: str) -> dict:
    return next(c for c in phrases()["central"] if c["id"] == doc_id)


def province_plans(seed: int, plans: int) -> list[PlanSpec]:
    """Each province's plans, each implementing one central document."""
    table = phrases()
    central = table["central"]
    out = []
    for p_index, province in enumerate(provinces()):
        rng = random.Random(f"{seed}:province:{province.name}")
        numbers = _numbers(rng, plans, 600)
        for k in range(plans):
            issuer = table["province_issuers"][k % len(table["province_issuers"])]
            parent = central[rng.randrange(len(central))]
            day = _after(rng, max(_iso_vn(parent["date"]), REFORM), 5, 90)
            day = min(day, date(2025, 11, 15))
            doc_id = issuer["symbol"].format(n=numbers[k])
            out.append(PlanSpec(
                file=f"p{p_index:02d}_{k:02d}.txt", id=doc_id, level="province", province=province.name,
                jurisdiction=province.name, date=day.isoformat(),
                implements={"id": parent["id"], "jurisdiction": "national",
                            "date": _iso_vn(parent["date"]).isoformat()},
                based_on=[{"id": phrases()["root"], "jurisdiction": "national"}]))
    return out


def commune_plans(seed: int, count: int, plans: int,
                  by_province: dict[str, list[PlanSpec]]) -> list[PlanSpec]:
    """Each chosen commune's plans, each implementing one of its province's plans."""
    out = []
    for c_index, commune in enumerate(chosen_communes(count)):
        rng = random.Random(f"{seed}:commune:{commune.province}:{commune.name}")
        numbers = _numbers(rng, plans, 900)
        parents = by_province[commune.province or ""]
        for k in range(plans):
            parent = parents[rng.randrange(len(parents))]
            day = min(_after(rng, date.fromisoformat(parent.date), 3, 40), date(2025, 12, 20))
            out.append(PlanSpec(
                file=f"c{c_index:04d}_{k:02d}.txt", id=f"{numbers[k]}/KH-UBND", level="commune",
                province=commune.province or "", jurisdiction=commune.name, date=day.isoformat(),
                implements={"id": parent.id, "jurisdiction": parent.jurisdiction, "date": parent.date},
                based_on=[{"id": phrases()["root"], "jurisdiction": "national"}]))
    return out


def cascade(seed: int, communes_count: int, plans: int,
            per_province: int = PROVINCE_PLANS) -> list[PlanSpec]:
    provincial = province_plans(seed, per_province)
    by_province: dict[str, list[PlanSpec]] = {}
    for spec in provincial:
        by_province.setdefault(spec.province, []).append(spec)
    return national_documents() + provincial + commune_plans(seed, communes_count, plans, by_province)


def _iso_vn(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def _vn(day: date | str) -> str:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


# ---- writing one plan ---------------------------------------------------------------------------


class Writer:
    """The lines of one document; identifiers go through `ident` so the damage model sees them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.lines: list[str] = []

    def ident(self, doc_id: str) -> str:
        return damaged_id(self.rng, doc_id)

    def para(self, text: str, indent: bool = True) -> None:
        self.lines.extend(wrap(("    " if indent else "") + text))

    def blank(self) -> None:
        self.lines.append("")


def wrap(text: str, width: int = LINE_WIDTH) -> list[str]:
    """Greedy wrap on spaces; a word holding a newline (a split identifier) breaks there."""
    lines, current = [], ""
    for word in text.split(" "):
        head, _, tail = word.partition("\n")
        if current and len(current) + 1 + len(head) > width:
            lines.append(current)
            current = head
        else:
            current = f"{current} {head}" if current else head
        if _:
            lines.append(current)
            current = tail
    if current:
        lines.append(current)
    return lines


def damaged_id(rng: random.Random, doc_id: str) -> str:
    """An identifier as OCR may print it (only the forms conventions.md lists as resolvable)."""
    forms = phrases()["damage"]["id_forms"]
    out = doc_id
    if "Đ" in out:
        out = out.replace("Đ", _weighted(rng, forms["d_code"]))
    if "NQ" in out and rng.random() < forms["q_as_o"]:
        out = out.replace("NQ", "NO")
    if "-" in out.split("/")[0] and rng.random() < forms["space_after_dash"]:
        out = out.replace("-", "- ", 1)
    elif out.split("/")[0].isdigit() and rng.random() < forms["space_before_slash"]:
        out = out.replace("/", " /", 1)
    if "-" in out.split("/")[0] and rng.random() < forms["split_line"]:
        out = out.replace("-", "-\n", 1).replace("-\n ", "-\n")
    return out


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    choices = list(weights)
    return rng.choices(choices, weights=[weights[c] for c in choices])[0]


def render(spec: PlanSpec, seed: int, tasks: int) -> tuple[str, int, int]:
    """The clean text of a plan (before OCR damage), its numbered and its appendix task counts."""
    rng = random.Random(f"{seed}:text:{spec.file}")
    table = phrases()
    out = Writer(rng)
    body, header = _issuer(spec)
    out.lines.append(f"{header[0]:<44}{table['motto'][0]}")
    out.lines.append(f"{header[1]:<44}{table['motto'][1]}")
    out.blank()
    place = _central(spec.id)["place"] if spec.level == "national" else spec.jurisdiction
    out.lines.append(f"Số: {out.ident(spec.id):<28}{place}, ngày {_long_date(spec.date)}")
    out.blank()
    out.lines.append(_central(spec.id)["heading"] if spec.level == "national" else "KẾ HOẠCH")
    parent_body = _parent_body(spec)
    parent_kind = "Kế hoạch" if "KH" in spec.implements["id"] else _central_kind(spec.implements["id"])
    area = {"commune": f" trên địa bàn xã {spec.jurisdiction}, tỉnh {spec.province}",
            "province": f" trên địa bàn tỉnh {spec.province}"}.get(spec.level, "")
    out.para(f"Triển khai thực hiện {parent_kind} số {out.ident(spec.implements['id'])} ngày "
             f"{_vn(spec.implements['date'])} của {parent_body}{_city(area, spec.province)}", indent=False)
    out.blank()
    root = next(c for c in table["central"] if c["id"] == table["root"])
    out.para(f"Căn cứ {root['kind']} số {out.ident(root['id'])} ngày {root['date']} của {root['issuer']} "
             f"{root['about']};")
    out.para(f"Thực hiện {parent_kind} số {out.ident(spec.implements['id'])} ngày "
             f"{_vn(spec.implements['date'])} của {parent_body}, {body} ban hành Kế hoạch "
             "triển khai thực hiện như sau:")
    out.blank()
    out.lines.append("I. MỤC ĐÍCH, YÊU CẦU")
    for k, sentence in enumerate(rng.sample(table["purpose"], 2), start=1):
        out.para(f"{k}. {sentence}")
    out.blank()
    titles = _task_titles(rng, tasks)
    numbered = max(1, tasks - tasks // 4)
    out.lines.append("II. NHIỆM VỤ TRỌNG TÂM")
    out.blank()
    for number in range(1, numbered + 1):
        _task(out, spec, number, titles[number - 1])
    out.lines.append("III. TỔ CHỨC THỰC HIỆN")
    out.para(f"Các cơ quan, đơn vị căn cứ nhiệm vụ được giao tại Kế hoạch này và Phụ lục kèm theo khẩn "
             f"trương triển khai thực hiện; định kỳ báo cáo kết quả về {body}.")
    out.blank()
    appendix = tasks - numbered
    if appendix:
        _appendix(out, spec, titles[numbered:])
    return "\n".join(out.lines) + "\n", numbered, appendix


def _issuer(spec: PlanSpec) -> tuple[str, list[str]]:
    table = phrases()
    if spec.level == "commune":
        header = [h.format(COMMUNE=spec.jurisdiction.upper()) for h in table["commune_header"]]
        return table["commune_body"].format(commune=spec.jurisdiction), header
    if spec.level == "national":
        return _central(spec.id)["issuer"], _central(spec.id)["header"]
    issuer = next(i for i in table["province_issuers"] if _matches(i["symbol"], spec.id))
    header = [_city(h.format(PROVINCE=spec.province.upper()), spec.province) for h in issuer["header"]]
    return _city(issuer["body"].format(province=spec.province), spec.province), header


@cache
def _cities() -> frozenset[str]:
    """The centrally run cities (thành phố): their plans say "thành phố", their Party committee
    is a Thành ủy."""
    from vietnam_provinces import Province

    return frozenset(p.name.split(" ", 2)[2] for p in Province.iter_all() if p.name.startswith("Thành phố "))


def _city(text: str, province: str) -> str:
    if not province or province not in _cities():
        return text
    return (text.replace("TỈNH ỦY", "THÀNH ỦY").replace("TỈNH ", "THÀNH PHỐ ")
            .replace("tỉnh " + province, "thành phố " + province))


def _matches(symbol: str, doc_id: str) -> bool:
    return doc_id.endswith(symbol.split("}", 1)[1])


def _parent_body(spec: PlanSpec) -> str:
    if spec.level in ("province", "national"):
        return _central(spec.implements["id"])["issuer"]
    issuer = next(i for i in phrases()["province_issuers"] if _matches(i["symbol"], spec.implements["id"]))
    return _city(issuer["body"].format(province=spec.province), spec.province)


def _central_kind(doc_id: str) -> str:
    return _central(doc_id)["kind"]


def _long_date(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day.day:02d} tháng {day.month:02d} năm {day.year}"


def _units(rng: random.Random, spec: PlanSpec, count: int) -> list[str]:
    return rng.sample(phrases()["units"][spec.level], count)


def _deadline(rng: random.Random) -> str:
    template = rng.choice(phrases()["deadlines"])
    return template.format(day=rng.randint(1, 28), month=rng.randint(10, 12))


def _task_titles(rng: random.Random, count: int) -> list[str]:
    """Task titles without repeats within a plan (a plan does not list one task twice)."""
    table = phrases()["tasks"]
    titles: list[str] = []
    while len(titles) < count:
        titles += rng.sample(table, min(len(table), count - len(titles)))
    return titles


def _task(out: Writer, spec: PlanSpec, number: int, title: str) -> None:
    rng, table = out.rng, phrases()
    lead, *support = _units(rng, spec, 1 + rng.randint(1, 3))
    out.para(f"{number}. {title}:", indent=True)
    out.para(rng.choice(table["task_detail"]))
    out.para(f"- Cơ quan chủ trì: {lead}.")
    out.para(f"- Cơ quan phối hợp: {'; '.join(support)}.")
    out.para(f"- Thời gian thực hiện: {_deadline(rng)}.")
    out.blank()


def _appendix(out: Writer, spec: PlanSpec, titles: list[str]) -> None:
    rng = out.rng
    out.lines.append("PHỤ LỤC")
    out.lines.append("NHIỆM VỤ CỤ THỂ")
    kind = _central(spec.id)["kind"] if spec.level == "national" else "Kế hoạch"
    out.lines.append(f"(Kèm theo {kind} số {out.ident(spec.id)} ngày {_vn(spec.date)} "
                     f"của {_issuer(spec)[0]})")
    out.blank()
    out.lines.append("STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành")
    for k, title in enumerate(titles, start=1):
        lead, support = _units(rng, spec, 2)
        out.lines.append(f"{k}. | {title} | {lead} | {support} | {_deadline(rng)}")
    out.blank()


# ---- OCR damage ---------------------------------------------------------------------------------


def damage(text: str, rng: random.Random) -> str:
    """The text as a scan's OCR reads it: see `damage` in bench/data/corpus.yaml."""
    model = phrases()["damage"]
    words = model["words"]
    out = []
    for token in text.split(" "):
        swap = words.get(token)
        if swap and rng.random() < 0.5:
            out.append(rng.choice(swap))
            continue
        out.append(_damage_word(token, rng, model))
    return " ".join(out)


def _damage_word(word: str, rng: random.Random, model: dict) -> str:
    if _looks_like_id(word):
        return word  # identifiers got their own damage when written
    chars = []
    for ch in word:
        if ch in "Đđ":
            chars.append(_weighted(rng, model["d_bar"]) if ch == "Đ" else rng.choice("dđd"))
            continue
        base = _base(ch)
        if base == ch:
            chars.append(ch)
            continue
        roll = rng.random()
        if roll < model["strip"]:
            chars.append(base)
        elif roll < model["strip"] + model["confuse"] and ch.lower() in model["look_alike"]:
            chars.append(rng.choice(model["look_alike"][ch.lower()]))
        else:
            chars.append(ch)
    return "".join(chars)


def _looks_like_id(word: str) -> bool:
    return any(c.isdigit() for c in word) and ("/" in word or word.endswith("-"))


@cache
def _base(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    return decomposed[0] if decomposed else ch


# ---- the corpus ---------------------------------------------------------------------------------


def documents(seed: int, communes_count: int, plans: int, tasks: int,
              per_province: int = PROVINCE_PLANS) -> Iterator[tuple[PlanSpec, str]]:
    for spec in cascade(seed, communes_count, plans, per_province):
        clean, numbered, appendix = render(spec, seed, tasks)
        spec.tasks, spec.appendix_tasks = numbered, appendix
        yield spec, damage(clean, random.Random(f"{seed}:ocr:{spec.file}"))


def generate(out: Path, communes_count: int, plans: int = 5, tasks: int = 20, seed: int = 1,
             per_province: int = PROVINCE_PLANS) -> list[PlanSpec]:
    """Write the corpus into `out` (created) and its manifest; returns the manifest rows."""
    out.mkdir(parents=True, exist_ok=True)
    specs = []
    for spec, text in documents(seed, communes_count, plans, tasks, per_province):
        (out / spec.file).write_text(text, encoding="utf-8")
        specs.append(spec)
    manifest = {"seed": seed, "communes": communes_count, "plans": plans, "tasks": tasks,
                "files": [asdict(s) for s in specs]}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the text files and manifest.json into")
    parser.add_argument("--communes", type=int, default=100, help="communes (3321 = all)")
    parser.add_argument("--plans", type=int, default=5, help="plans per commune")
    parser.add_argument("--tasks", type=int, default=20, help="tasks per plan")
    parser.add_argument("--province-plans", type=int, default=PROVINCE_PLANS, help="plans per province")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    specs = generate(args.out, args.communes, args.plans, args.tasks, args.seed, args.province_plans)
    size = sum((args.out / s.file).stat().st_size for s in specs)
    print(f"{len(specs)} files, {size / 1e6:.1f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
