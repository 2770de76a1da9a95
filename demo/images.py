"""Demo images and downloadable documents for the demo courses (pure Python + Pillow, no Django).

Every image is drawn with flat shapes, so the output is small and identical on every run.
Pillow has no CJK font here, so all text drawn inside the images is ASCII/English; the Chinese
title of each image lives in ``IMAGES[key]["title"]``.

    IMAGES      key -> {"title": ..., "kind": "cover" | "diagram" | "screenshot", ...}
    render_png  key -> PNG bytes (960 x 540)
    DOCUMENTS   key -> {"title": ..., "filename": ..., "content": UTF-8 text}
"""

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

W, H = 960, 540

# Palette (flat colours compress well).
NAVY = (31, 58, 95)
BLUE = (47, 111, 176)
SKY = (232, 241, 251)
TEAL = (26, 158, 143)
ORANGE = (232, 131, 58)
RED = (200, 65, 59)
GREEN = (60, 157, 93)
GOLD = (212, 160, 23)
PURPLE = (107, 79, 160)
GREY = (107, 119, 133)
LIGHT = (243, 245, 248)
LINE = (200, 207, 216)
TEXT = (30, 38, 48)
WHITE = (255, 255, 255)
BLACK = (20, 22, 26)
PALE_RED = (251, 232, 230)
PALE_GREEN = (228, 244, 233)
PALE_ORANGE = (253, 240, 228)
PALE_TEAL = (224, 244, 241)
PALE_PURPLE = (238, 233, 247)


# --------------------------------------------------------------------------- drawing helpers


@lru_cache(maxsize=32)
def _font(size):
    return ImageFont.load_default(size=size)


def _wrap(text, size, max_width):
    """Greedy word wrap; explicit newlines are kept."""
    font = _font(size)
    lines = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > max_width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _text(d, xy, text, size=16, fill=TEXT, anchor="la", bold=False):
    d.text(xy, text, font=_font(size), fill=fill, anchor=anchor)
    if bold:  # fake bold: a second pass one pixel to the right (stroke looks smudgy at small sizes)
        d.text((xy[0] + 1, xy[1]), text, font=_font(size), fill=fill, anchor=anchor)


def _ctext(d, box, text, size=16, fill=TEXT, bold=False, pad=8, spacing=4):
    """Text wrapped and centred in a box."""
    x0, y0, x1, y1 = box
    lines = _wrap(text, size, x1 - x0 - 2 * pad)
    lh = size + spacing
    top = (y0 + y1) / 2 - lh * len(lines) / 2 + lh / 2
    for i, line in enumerate(lines):
        _text(d, ((x0 + x1) / 2, top + i * lh), line, size, fill, anchor="mm", bold=bold)


def _ltext(d, xy, text, size=15, fill=TEXT, width=300, spacing=4, bold=False):
    """Left-aligned wrapped text; returns the y below the last line."""
    x, y = xy
    for line in _wrap(text, size, width):
        _text(d, (x, y), line, size, fill, bold=bold)
        y += size + spacing
    return y


def _box(d, box, fill=WHITE, outline=LINE, text=None, size=16, color=TEXT, bold=False, r=10, width=2):
    d.rounded_rectangle(box, radius=r, fill=fill, outline=outline, width=width)
    if text:
        _ctext(d, box, text, size, color, bold)


def _arrow(d, a, b, color=GREY, width=3, head=11):
    import math

    (x0, y0), (x1, y1) = a, b
    ang = math.atan2(y1 - y0, x1 - x0)
    bx, by = x1 - head * math.cos(ang), y1 - head * math.sin(ang)
    d.line([(x0, y0), (bx, by)], fill=color, width=width)
    left = (bx + head * 0.6 * math.sin(ang), by - head * 0.6 * math.cos(ang))
    right = (bx - head * 0.6 * math.sin(ang), by + head * 0.6 * math.cos(ang))
    d.polygon([(x1, y1), left, right], fill=color)


def _dashed(d, points, color=GREY, width=2, dash=8, gap=6):
    import math

    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        if not length:
            continue
        dx, dy = (x1 - x0) / length, (y1 - y0) / length
        pos = 0.0
        while pos < length:
            end = min(pos + dash, length)
            d.line([(x0 + dx * pos, y0 + dy * pos), (x0 + dx * end, y0 + dy * end)], fill=color, width=width)
            pos += dash + gap


def _badge(d, center, n, fill=ORANGE):
    x, y = center
    d.ellipse((x - 13, y - 13, x + 13, y + 13), fill=fill, outline=WHITE, width=2)
    _text(d, (x, y), str(n), 15, WHITE, anchor="mm", bold=True)


def _check(d, xy, color=GREEN, size=14):
    x, y = xy
    d.line([(x, y + size * 0.55), (x + size * 0.38, y + size * 0.9), (x + size, y + size * 0.1)], fill=color, width=3)


def _cross(d, xy, color=RED, size=12):
    x, y = xy
    d.line([(x, y), (x + size, y + size)], fill=color, width=3)
    d.line([(x, y + size), (x + size, y)], fill=color, width=3)


def _cylinder(d, box, fill=SKY, outline=BLUE, text=None, size=14):
    x0, y0, x1, y1 = box
    e = 14
    d.rectangle((x0, y0 + e / 2, x1, y1 - e / 2), fill=fill)
    d.ellipse((x0, y1 - e, x1, y1), fill=fill, outline=outline, width=2)
    d.rectangle((x0 + 2, y0 + e / 2, x1 - 2, y1 - e / 2), fill=fill)
    d.line([(x0, y0 + e / 2), (x0, y1 - e / 2)], fill=outline, width=2)
    d.line([(x1, y0 + e / 2), (x1, y1 - e / 2)], fill=outline, width=2)
    d.ellipse((x0, y0, x1, y0 + e), fill=WHITE, outline=outline, width=2)
    if text:
        _ctext(d, (x0, y0 + e, x1, y1 - 4), text, size, TEXT)


def _canvas(title, subtitle=None, bg=LIGHT, accent=BLUE):
    img = Image.new("RGB", (W, H), bg)
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, W, 70), fill=WHITE)
    d.rectangle((0, 70, W, 73), fill=accent)
    d.rectangle((28, 20, 34, 52), fill=accent)
    _text(d, (46, 17), title, 24, NAVY, bold=True)
    if subtitle:
        _text(d, (46, 47), subtitle, 14, GREY)
    return img, d


def _window(d, box, title, url=None, bar=(226, 230, 236), fg=TEXT):
    """A desktop window or browser frame; returns the content rectangle."""
    x0, y0, x1, y1 = box
    d.rounded_rectangle(box, radius=8, fill=WHITE, outline=(170, 178, 190), width=2)
    d.rounded_rectangle((x0, y0, x1, y0 + 34), radius=8, fill=bar)
    d.rectangle((x0 + 1, y0 + 24, x1 - 1, y0 + 34), fill=bar)
    for i, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse((x0 + 12 + i * 20, y0 + 11, x0 + 24 + i * 20, y0 + 23), fill=c)
    _text(d, (x0 + 80, y0 + 17), title, 14, fg, anchor="lm")
    top = y0 + 34
    if url:
        d.rectangle((x0 + 1, top, x1 - 1, top + 32), fill=(246, 247, 249))
        d.rounded_rectangle((x0 + 12, top + 5, x1 - 12, top + 27), radius=10, fill=WHITE, outline=LINE)
        d.rectangle((x0 + 22, top + 11, x0 + 30, top + 21), outline=GREEN, width=2)
        _text(d, (x0 + 40, top + 16), url, 13, GREY, anchor="lm")
        top += 32
        d.line([(x0 + 1, top), (x1 - 1, top)], fill=LINE)
    return (x0 + 2, top + 1, x1 - 2, y1 - 2)


def _button(d, box, label, fill=BLUE, color=WHITE, size=14):
    d.rounded_rectangle(box, radius=6, fill=fill)
    _ctext(d, box, label, size, color, pad=2)


def _field(d, xy, label, value, width=360, masked=False, label_w=130):
    x, y = xy
    _text(d, (x, y + 14), label, 14, GREY, anchor="lm")
    d.rounded_rectangle((x + label_w, y, x + label_w + width, y + 28), radius=4, fill=WHITE, outline=LINE)
    if masked:
        for i in range(len(value)):
            cx = x + label_w + 14 + i * 13
            d.ellipse((cx - 4, y + 10, cx + 4, y + 18), fill=TEXT)
    else:
        _text(d, (x + label_w + 10, y + 14), value, 14, TEXT, anchor="lm")


def _note(d, box, text, color=ORANGE, size=13):
    """An annotation bubble (used on mock screenshots)."""
    pale = tuple(int(c + (255 - c) * 0.85) for c in color)
    d.rounded_rectangle(box, radius=6, fill=pale, outline=color, width=2)
    _ctext(d, box, text, size, TEXT, pad=6, spacing=3)


def _to_png(img):
    buf = io.BytesIO()
    img = img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


# --------------------------------------------------------------------------- covers


def _icon(d, name, cx, cy, color):
    """Simple iconic shapes drawn in white on the cover."""
    if name == "building":
        d.polygon([(cx - 110, cy - 40), (cx, cy - 105), (cx + 110, cy - 40)], fill=WHITE)
        d.rectangle((cx - 100, cy - 38, cx + 100, cy - 24), fill=WHITE)
        for i in range(5):
            x = cx - 86 + i * 43
            d.rectangle((x, cy - 16, x + 14, cy + 60), fill=WHITE)
        d.rectangle((cx - 115, cy + 66, cx + 115, cy + 84), fill=WHITE)
        d.ellipse((cx - 14, cy - 78, cx + 14, cy - 50), fill=color)
    elif name == "laptop-lock":
        d.rounded_rectangle((cx - 120, cy - 90, cx + 120, cy + 50), radius=10, fill=WHITE)
        d.rectangle((cx - 104, cy - 74, cx + 104, cy + 34), fill=color)
        d.polygon([(cx - 150, cy + 60), (cx + 150, cy + 60), (cx + 130, cy + 84), (cx - 130, cy + 84)], fill=WHITE)
        d.rounded_rectangle((cx - 30, cy - 22, cx + 30, cy + 24), radius=6, fill=WHITE)
        d.arc((cx - 22, cy - 56, cx + 22, cy - 4), 180, 360, fill=WHITE, width=8)
        d.ellipse((cx - 6, cy - 6, cx + 6, cy + 6), fill=color)
    elif name == "shield":
        d.polygon(
            [
                (cx, cy - 110),
                (cx + 95, cy - 75),
                (cx + 85, cy + 20),
                (cx, cy + 100),
                (cx - 85, cy + 20),
                (cx - 95, cy - 75),
            ],
            fill=WHITE,
        )
        d.line([(cx - 40, cy - 5), (cx - 10, cy + 28), (cx + 45, cy - 40)], fill=color, width=16)
    elif name == "documents":
        d.rounded_rectangle((cx - 95, cy - 105, cx + 55, cy + 75), radius=8, fill=(255, 255, 255, 150), outline=WHITE)
        d.rounded_rectangle((cx - 65, cy - 85, cx + 85, cy + 95), radius=8, fill=WHITE)
        for i in range(6):
            d.rectangle((cx - 45, cy - 60 + i * 20, cx + 65 - (30 if i % 3 == 2 else 0), cy - 52 + i * 20), fill=color)
        d.ellipse((cx + 25, cy + 40, cx + 75, cy + 90), outline=RED, width=6)
        d.line([(cx + 37, cy + 65), (cx + 63, cy + 65)], fill=RED, width=5)
    elif name == "network":
        hub = (cx, cy)
        nodes = [
            (cx - 120, cy - 70),
            (cx - 130, cy + 50),
            (cx - 20, cy + 105),
            (cx + 110, cy + 75),
            (cx + 125, cy - 45),
        ]
        nodes += [(cx + 10, cy - 110)]
        for n in nodes:
            d.line([hub, n], fill=WHITE, width=6)
        for i, n in enumerate(nodes):
            d.line([n, nodes[(i + 1) % len(nodes)]], fill=(255, 255, 255), width=2)
        for x, y in nodes:
            d.ellipse((x - 18, y - 18, x + 18, y + 18), fill=WHITE)
        d.ellipse((cx - 36, cy - 36, cx + 36, cy + 36), fill=WHITE)
        d.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), fill=color)
    elif name == "portal":
        d.rounded_rectangle((cx - 140, cy - 100, cx + 140, cy + 100), radius=10, fill=WHITE)
        d.rectangle((cx - 140, cy - 100, cx + 140, cy - 74), fill=(255, 255, 255))
        d.line([(cx - 140, cy - 74), (cx + 140, cy - 74)], fill=color, width=3)
        d.rounded_rectangle((cx - 110, cy - 60, cx + 110, cy - 36), radius=12, outline=color, width=3)
        for r in range(2):
            for c in range(3):
                x = cx - 110 + c * 78
                y = cy - 22 + r * 60
                d.rounded_rectangle((x, y, x + 64, y + 48), radius=6, fill=color)
    elif name == "gantt":
        d.rounded_rectangle((cx - 140, cy - 100, cx + 140, cy + 100), radius=10, fill=WHITE)
        bars = [(0, 90), (50, 150), (110, 200), (170, 240), (200, 260)]
        for i, (a, b) in enumerate(bars):
            y = cy - 75 + i * 34
            d.rounded_rectangle((cx - 120 + a, y, cx - 120 + b, y + 20), radius=5, fill=color)
        d.polygon([(cx + 95, cy + 70), (cx + 110, cy + 85), (cx + 95, cy + 100), (cx + 80, cy + 85)], fill=GOLD)


def _draw_cover(spec):
    base = spec["color"]
    dark = tuple(int(c * 0.62) for c in base)
    img = Image.new("RGB", (W, H), base)
    d = ImageDraw.Draw(img, "RGBA")
    # Large soft shapes
    d.ellipse((520, -160, 1140, 460), fill=(255, 255, 255, 28))
    d.ellipse((640, 240, 1060, 660), fill=(255, 255, 255, 22))
    d.ellipse((-160, 330, 220, 710), fill=(0, 0, 0, 30))
    d.rectangle((0, H - 56, W, H), fill=dark)
    for i in range(12):
        d.ellipse((40 + i * 22, 40, 48 + i * 22, 48), fill=(255, 255, 255, 90 if i % 3 else 170))
    _icon(d, spec["icon"], 760, 250, base)
    _text(d, (56, 92), spec["kicker"].upper(), 18, (255, 255, 255), bold=True)
    y = 140
    for line in _wrap(spec["label"], 52, 560):
        _text(d, (56, y), line, 52, WHITE, bold=True)
        y += 64
    y += 6
    _ltext(d, (56, y), spec["tagline"], 20, (235, 242, 250), width=520, spacing=8)
    _text(d, (56, H - 28), "E-Government Training Platform", 16, WHITE, anchor="lm")
    level = spec["level"]
    lw = _font(15).getlength(level) + 28
    d.rounded_rectangle((W - 56 - lw, H - 42, W - 56, H - 14), radius=14, fill=WHITE)
    _text(d, (W - 56 - lw / 2, H - 28), level, 15, dark, anchor="mm", bold=True)
    return img


# --------------------------------------------------------------------------- diagrams


def _d_1_4_12():
    img, d = _canvas("1 platform, 4 basic databases, 12 business systems", "National e-government framework")
    systems = [
        "Office business resources",
        "Macro-economic management",
        "Golden Tax",
        "Golden Customs",
        "Golden Finance (budget)",
        "Financial supervision",
        "Golden Audit",
        "Social security (Golden Insurance)",
        "Golden Agriculture",
        "Golden Shield (public security)",
        "Golden Quality",
        "Golden Water",
    ]
    d.rounded_rectangle((20, 82, 940, 226), radius=10, fill=WHITE)
    _text(d, (32, 88), "12 key business systems", 15, ORANGE, bold=True)
    for i, s in enumerate(systems):
        r, c = divmod(i, 6)
        x = 32 + c * 150
        y = 110 + r * 58
        _box(d, (x, y, x + 140, y + 50), PALE_ORANGE, ORANGE, s, 13, r=8)
    for c in range(4):
        x = 145 + c * 223
        _arrow(d, (x, 252), (x, 228), GREY)
    d.rounded_rectangle((20, 254, 940, 380), radius=10, fill=WHITE)
    _text(d, (32, 260), "4 basic information databases", 15, TEAL, bold=True)
    dbs = ["Population", "Legal entities", "Spatial geography & natural resources", "Macro-economy"]
    for i, s in enumerate(dbs):
        x = 60 + i * 223
        _cylinder(d, (x, 284, x + 170, 372), PALE_TEAL, TEAL, s, 14)
    for c in range(4):
        x = 145 + c * 223
        _arrow(d, (x, 406), (x, 382), GREY)
    _box(d, (20, 408, 940, 482), NAVY, NAVY, None, r=10)
    _text(d, (480, 433), "1 unified e-government network platform", 20, WHITE, anchor="mm", bold=True)
    _text(d, (480, 462), "internal network + external network, shared by all departments", 14, SKY, anchor="mm")
    _text(
        d,
        (480, 510),
        "Systems are built on the shared databases; databases run on the shared platform.",
        13,
        GREY,
        "mm",
    )
    return img


def _d_g2x():
    img, d = _canvas("Three basic forms of e-government", "G2G, G2B and G2C")
    d.ellipse((400, 210, 560, 370), fill=NAVY)
    _ctext(d, (400, 210, 560, 370), "Government (G)", 20, WHITE, bold=True)
    parts = [
        (
            (40, 120, 320, 260),
            "G2G",
            "Government to Government",
            "document exchange, budgets, statistics reporting, data sharing between departments",
            BLUE,
            SKY,
            (400, 260),
        ),
        (
            (640, 120, 920, 260),
            "G2B",
            "Government to Business",
            "registration, licences, tax, public bidding information, investment services",
            ORANGE,
            PALE_ORANGE,
            (560, 260),
        ),
        (
            (340, 400, 620, 520),
            "G2C",
            "Government to Citizens",
            "social insurance, exams, policy information, online consultation",
            GREEN,
            PALE_GREEN,
            (480, 370),
        ),
    ]
    for box, tag, name, desc, color, pale, hub in parts:
        _box(d, box, pale, color, r=12)
        x0, y0, x1, _ = box
        _text(d, (x0 + 16, y0 + 14), tag, 24, color, bold=True)
        _text(d, (x0 + 90, y0 + 22), name, 15, TEXT)
        _ltext(d, (x0 + 16, y0 + 54), desc, 14, GREY, width=x1 - x0 - 32)
        cx = (x0 + x1) / 2
        edge = (cx, box[3]) if y0 < 300 else (cx, y0)
        d.line([edge, hub], fill=color, width=4)
    return img


def _d_city_status():
    img, d = _canvas("Our city today: networks built, little used", "From the municipal e-government survey")
    cards = [
        ("25", "municipal departments with local networks", BLUE),
        ("11", "departments linked to the province", TEAL),
        (">1,500", "computer terminals in party & government bodies", PURPLE),
        ("~180", "network and server devices", GREY),
        ("<30", "IT professionals in all departments", RED),
        ("10", "departmental websites, mostly static pages", ORANGE),
    ]
    for i, (num, label, color) in enumerate(cards):
        r, c = divmod(i, 3)
        x = 40 + c * 300
        y = 100 + r * 150
        _box(d, (x, y, x + 280, y + 130), WHITE, LINE, r=12)
        d.rectangle((x, y + 10, x + 6, y + 120), fill=color)
        _text(d, (x + 24, y + 20), num, 40, color, bold=True)
        _ltext(d, (x + 24, y + 76), label, 15, TEXT, width=240)
    _box(d, (40, 420, 920, 505), PALE_RED, RED, r=12)
    _text(d, (60, 438), "Heavy hardware, light use", 20, RED, bold=True)
    _text(
        d, (60, 472), "More than half of the networks are used only for Internet access and simple file transfer.", 15
    )
    return img


def _d_three_networks():
    img, d = _canvas("Three networks, three sets of rules", "Know which network your computer is on")
    cols = [
        (
            "Internal e-gov network",
            "(classified)",
            RED,
            PALE_RED,
            [
                "Classified information only",
                "Registered, dedicated devices",
                "No Internet, no wireless",
                "No private USB drives",
            ],
        ),
        (
            "Government extranet",
            "(non-classified business)",
            BLUE,
            SKY,
            [
                "OA and shared business systems",
                "Data exchange between departments",
                "Unified, monitored Internet exit",
                "Never classified files",
            ],
        ),
        (
            "Internet",
            "(public)",
            GREY,
            (236, 238, 241),
            [
                "Public information and websites",
                "Email from outside parties",
                "Highest risk of malware",
                "Never classified files",
            ],
        ),
    ]
    xs = [30, 350, 670]
    for x, (name, sub, color, pale, rules) in zip(xs, cols, strict=True):
        _box(d, (x, 100, x + 260, 440), pale, color, r=12)
        d.rounded_rectangle((x, 100, x + 260, 160), radius=12, fill=color)
        d.rectangle((x, 140, x + 260, 160), fill=color)
        _text(d, (x + 130, 120), name, 18, WHITE, anchor="mm", bold=True)
        _text(d, (x + 130, 145), sub, 14, WHITE, anchor="mm")
        for i, rule in enumerate(rules):
            y = 185 + i * 60
            d.ellipse((x + 18, y + 4, x + 28, y + 14), fill=color)
            _ltext(d, (x + 38, y), rule, 15, TEXT, width=205)
    # Isolation walls
    d.rectangle((300, 95, 340, 445), fill=(90, 30, 28))
    for y in range(100, 440, 22):
        d.line([(300, y), (340, y)], fill=(140, 60, 55), width=2)
    _ctext(d, (250, 455, 390, 525), "PHYSICAL ISOLATION", 14, RED, bold=True)
    _dashed(d, [(640, 95), (640, 445)], BLUE, 4)
    _dashed(d, [(650, 95), (650, 445)], BLUE, 4)
    _ctext(d, (560, 455, 730, 525), "LOGICAL ISOLATION (firewall, gateway)", 14, BLUE, bold=True)
    return img


def _d_security_tasks():
    img, d = _canvas(
        "Opinions on Strengthening Information Security and Safeguard Work",
        "Guideline: active defence, comprehensive prevention",
        accent=RED,
    )
    tasks = [
        ("1", "Graded protection of information systems"),
        ("2", "Cryptography, network trust system (PKI/CA)"),
        ("3", "Security monitoring system"),
        ("4", "Emergency response and recovery"),
        ("5", "Security R&D and industry"),
        ("6", "Laws, regulations and standards"),
        ("7", "Talent training, public awareness"),
        ("8", "Guaranteed security funding"),
        ("9", "Leadership and accountability"),
    ]
    for i, (n, t) in enumerate(tasks):
        r, c = divmod(i, 3)
        x = 40 + c * 300
        y = 100 + r * 115
        _box(d, (x, y, x + 280, y + 98), WHITE, LINE, r=10)
        d.ellipse((x + 14, y + 30, x + 52, y + 68), fill=RED if i in (0, 3, 8) else NAVY)
        _text(d, (x + 33, y + 49), n, 18, WHITE, "mm", bold=True)
        _ltext(d, (x + 66, y + 26), t, 16, TEXT, width=200)
    _text(d, (480, 458), "Red = tasks every department carries out itself", 14, RED, "mm")
    _text(
        d,
        (480, 486),
        "Whoever is in charge is responsible; whoever operates is responsible.",
        16,
        NAVY,
        "mm",
        bold=True,
    )
    return img


def _d_graded():
    img, d = _canvas(
        "Graded protection: five levels, five steps",
        "Higher level = more damage if attacked = stricter duty",
        accent=RED,
    )
    levels = ["1 Autonomous", "2 Guided", "3 Supervised", "4 Mandatory", "5 Special control"]
    colors = [(120, 170, 220), BLUE, NAVY, PURPLE, RED]
    for i, (name, color) in enumerate(zip(levels, colors, strict=True)):
        x = 40 + i * 176
        top = 290 - i * 46
        d.rectangle((x, top, x + 164, 350), fill=color)
        _ctext(d, (x, top, x + 164, top + 40), name, 16, WHITE, bold=True)
    _text(
        d,
        (40, 362),
        "Most departmental business systems are level 2 or 3; the level is set by the impact of damage.",
        14,
        GREY,
    )
    steps = ["Grading", "Filing", "Build & rectify", "Level assessment", "Supervision & inspection"]
    for i, s in enumerate(steps):
        x = 40 + i * 180
        _box(d, (x, 410, x + 150, 470), PALE_RED, RED, s, 15, r=8)
        if i < 4:
            _arrow(d, (x + 152, 440), (x + 178, 440), RED, 3, 9)
    _text(d, (480, 500), "Re-assess when the system changes; level 3 and above are assessed regularly.", 14, GREY, "mm")
    return img


def _d_incident():
    img, d = _canvas(
        "When something goes wrong: incident response", "Report first, do not hide, do not destroy evidence", accent=RED
    )
    steps = [
        ("Detect", "pop-ups, strange files, slow PC, data sent out"),
        ("Isolate", "unplug the network cable; keep the power on"),
        ("Report", "security officer + IT staff at once"),
        ("Contain & fix", "IT staff remove the cause"),
        ("Recover", "restore from backup, check data"),
        ("Review", "find the root cause, improve rules"),
    ]
    for i, (name, desc) in enumerate(steps):
        x = 24 + i * 155
        color = RED if i < 3 else BLUE
        d.ellipse((x + 42, 110, x + 98, 166), fill=color)
        _text(d, (x + 70, 138), str(i + 1), 24, WHITE, "mm", bold=True)
        _ctext(d, (x, 176, x + 140, 206), name, 18, color, bold=True)
        _box(d, (x, 214, x + 140, 330), WHITE, LINE, None, r=8)
        _ctext(d, (x, 214, x + 140, 330), desc, 14, TEXT)
        if i < 5:
            _arrow(d, (x + 104, 138), (x + 190, 138), GREY, 3)
    _box(d, (40, 370, 920, 500), PALE_RED, RED, r=12)
    _text(d, (60, 390), "Do NOT", 18, RED, bold=True)
    donts = [
        "switch off or reinstall the PC on your own",
        "delete the suspicious e-mail or file",
        "keep using the PC or plug in a USB drive",
        "post details in group chats or on the Internet",
    ]
    for i, t in enumerate(donts):
        r, c = divmod(i, 2)
        _cross(d, (62 + c * 440, 428 + r * 34), RED)
        _text(d, (86 + c * 440, 434 + r * 34), t, 15, TEXT, "lm")
    return img


def _d_oa_flow():
    img, d = _canvas(
        "Outgoing document: online approval flow", "Every step is logged with name, time and opinion", accent=TEAL
    )
    steps = [
        ("Draft", "drafter"),
        ("Section review", "section head"),
        ("Office check", "format, legality"),
        ("Countersign", "other departments"),
        ("Sign-off", "responsible leader"),
        ("Number & seal", "document office"),
        ("Distribute", "via OA / exchange"),
        ("Archive", "to archives"),
    ]
    for i, (name, who) in enumerate(steps):
        r, c = divmod(i, 4)
        if r == 1:
            c = 3 - c
        x = 40 + c * 225
        y = 120 + r * 200
        color = TEAL if i != 4 else ORANGE
        _box(d, (x, y, x + 190, y + 90), WHITE, color, None, r=10, width=3)
        _text(d, (x + 95, y + 34), name, 18, color, "mm", bold=True)
        _text(d, (x + 95, y + 62), who, 14, GREY, "mm")
        _badge(d, (x + 8, y + 8), i + 1, color)
        if i in (0, 1, 2):
            _arrow(d, (x + 192, y + 45), (x + 223, y + 45), GREY)
        if i in (4, 5, 6):
            _arrow(d, (x - 2, y + 45), (x - 33, y + 45), GREY)
    _arrow(d, (40 + 3 * 225 + 95, 212), (40 + 3 * 225 + 95, 318), GREY)
    _dashed(d, [(135, 212), (135, 270), (600, 270)], RED, 2)
    _arrow(d, (142, 270), (135, 214), RED, 2, 9)
    _text(d, (165, 278), "Return for revision (with written opinion) at any review step", 13, RED)
    _text(d, (480, 500), "Classified documents are NOT processed in this system.", 15, RED, "mm", bold=True)
    return img


def _d_city_network():
    img, d = _canvas(
        "From 10 separate lines to one unified platform", "Linking city departments to the province", accent=TEAL
    )
    # Before
    _box(d, (20, 90, 470, 500), WHITE, LINE, r=12)
    _text(d, (40, 106), "BEFORE", 18, RED, bold=True)
    _box(d, (170, 130, 320, 178), NAVY, NAVY, "Province", 16, WHITE, True, r=8)
    for i in range(10):
        x = 48 + i * 42
        y = 360 + (i % 2) * 34
        d.line([(x + 10, y), (245, 180)], fill=RED, width=2)
        d.rectangle((x, y, x + 22, y + 22), fill=BLUE)
    _text(d, (245, 440), "10 departments, 10 leased lines", 15, TEXT, "mm")
    _text(d, (245, 466), "about 600,000 yuan per year", 15, RED, "mm", bold=True)
    _text(d, (245, 490), "no sharing between departments", 13, GREY, "mm")
    # After
    _box(d, (490, 90, 940, 500), WHITE, LINE, r=12)
    _text(d, (510, 106), "AFTER", 18, GREEN, bold=True)
    _box(d, (640, 130, 790, 178), NAVY, NAVY, "Province", 16, WHITE, True, r=8)
    _box(d, (620, 250, 810, 300), TEAL, TEAL, "City unified platform", 15, WHITE, True, r=8)
    d.line([(700, 180), (700, 250)], fill=GREEN, width=4)
    d.line([(730, 180), (730, 250)], fill=GREEN, width=4)
    _text(d, (742, 206), "2 shared uplinks", 13, GREEN)
    _text(d, (742, 224), "save > 60%", 13, GREEN, bold=True)
    for i in range(6):
        x = 520 + i * 40
        d.line([(x + 10, 360), (680, 300)], fill=BLUE, width=2)
        d.rectangle((x, 360, x + 22, 382), fill=BLUE)
    _text(d, (630, 398), "departments", 13, GREY, "mm")
    for i in range(4):
        x = 790 + i * 36
        d.line([(x + 10, 360), (760, 300)], fill=ORANGE, width=2)
        d.polygon([(x, 382), (x + 11, 360), (x + 22, 382)], fill=ORANGE)
    _text(d, (850, 398), "counties / districts", 13, GREY, "mm")
    _text(d, (715, 440), "Shared downlinks to counties save > 70%", 15, TEXT, "mm")
    _text(d, (715, 466), "One network, one exit, one security policy", 15, GREEN, "mm", bold=True)
    return img


def _d_platform_layers():
    img, d = _canvas("Layers of the unified e-government platform", "Build once, share by all departments", accent=TEAL)
    layers = [
        ("Portal", "one-stop online service window for citizens and businesses", ORANGE),
        ("Applications", "shared OA, video conferencing, the business systems of each department", BLUE),
        ("Shared support", "unified identity & CA, resource catalogue & exchange, 4 basic databases", TEAL),
        ("Network", "internal network  |  government extranet  |  single controlled Internet exit", NAVY),
    ]
    for i, (name, desc, color) in enumerate(layers):
        y = 100 + i * 95
        _box(d, (150, y, 810, y + 80), WHITE, color, None, r=10, width=3)
        d.rounded_rectangle((150, y, 330, y + 80), radius=10, fill=color)
        _ctext(d, (150, y, 330, y + 80), name, 18, WHITE, bold=True)
        _ltext(d, (350, y + 20), desc, 16, TEXT, width=440)
    for x, label, color in [(30, "Security", RED), (830, "Standards & operations", GREY)]:
        _box(d, (x, 100, x + 100, 460), color, color, None, r=10)
        _ctext(d, (x, 100, x + 100, 460), label, 16, WHITE, bold=True)
    _text(
        d,
        (480, 495),
        "Departments connect to the platform instead of building their own networks and systems.",
        14,
        GREY,
        "mm",
    )
    return img


def _d_resource_sharing():
    img, d = _canvas(
        "Sharing government information resources", "Catalogue + exchange: one data item, one source", accent=TEAL
    )
    depts = ["Finance", "Statistics", "Personnel", "Labor", "Public Security", "Planning"]
    for i, name in enumerate(depts):
        y = 100 + i * 62
        _box(d, (40, y, 220, y + 48), SKY, BLUE, name + " Bureau", 14, r=8)
        _arrow(d, (222, y + 24), (378, 290), BLUE, 2, 9)
    _box(d, (380, 200, 600, 380), TEAL, TEAL, None, r=14)
    _ctext(d, (380, 210, 600, 270), "Exchange platform", 20, WHITE, bold=True)
    _ctext(d, (380, 270, 600, 370), "resource catalogue, publish / subscribe, access log", 15, WHITE)
    dbs = ["Population", "Legal entities", "Spatial geography", "Macro-economy"]
    for i, name in enumerate(dbs):
        y = 100 + i * 90
        _cylinder(d, (740, y, 910, y + 74), PALE_TEAL, TEAL, name, 14)
        _arrow(d, (602, 290), (738, y + 38), TEAL, 2, 9)
    kinds = [("Unconditional", GREEN), ("Conditional", ORANGE), ("Not shared (by law)", RED)]
    for i, (k, color) in enumerate(kinds):
        x = 250 + i * 170
        d.rounded_rectangle((x, 420, x + 158, 452), radius=14, fill=color)
        _text(d, (x + 79, 436), k, 14, WHITE, "mm", bold=True)
    _text(
        d,
        (480, 486),
        "Each data item has one responsible provider; others reuse it instead of collecting it again.",
        14,
        GREY,
        "mm",
    )
    return img


def _d_static_vs_onestop():
    img, d = _canvas("From static website to one-stop service window", "What changes for the user", accent=ORANGE)
    a = _window(d, (24, 90, 466, 500), "Before", "www.city.gov.example/index.html")
    x0, y0, x1, _ = a
    d.rectangle((x0, y0, x1, y0 + 40), fill=(200, 205, 212))
    _text(d, (x0 + 14, y0 + 20), "City Government", 16, WHITE, "lm", bold=True)
    for i, t in enumerate(
        [
            "Leader speeches",
            "Office hours",
            "Department list",
            "News (last updated long ago)",
            "Contact: telephone only",
        ]
    ):
        y = y0 + 60 + i * 42
        d.rectangle((x0 + 16, y, x0 + 24, y + 8), fill=GREY)
        _text(d, (x0 + 34, y + 4), t, 15, GREY, "lm")
    _note(d, (x0 + 16, y0 + 280, x1 - 16, y0 + 330), "Read only: no forms, no feedback, no online services", RED)
    b = _window(d, (494, 90, 936, 500), "After", "www.city.gov.example/service")
    x0, y0, x1, _ = b
    d.rectangle((x0, y0, x1, y0 + 40), fill=ORANGE)
    _text(d, (x0 + 14, y0 + 20), "One-stop Service", 16, WHITE, "lm", bold=True)
    _button(d, (x1 - 90, y0 + 8, x1 - 12, y0 + 32), "Log in", WHITE, ORANGE, 13)
    d.rounded_rectangle((x0 + 16, y0 + 54, x1 - 16, y0 + 84), radius=14, outline=ORANGE, width=2)
    _text(d, (x0 + 32, y0 + 69), "Search services, e.g. 'pension'", 14, GREY, "lm")
    tiles = [("For citizens", GREEN), ("For businesses", BLUE), ("Track my case", TEAL), ("Ask & complain", PURPLE)]
    for i, (t, color) in enumerate(tiles):
        r, c = divmod(i, 2)
        x = x0 + 16 + c * 205
        y = y0 + 100 + r * 96
        _box(d, (x, y, x + 192, y + 82), color, color, t, 16, WHITE, True, r=8)
    _note(
        d, (x0 + 16, y0 + 300, x1 - 16, y0 + 350), "Apply, upload, pay and track online; departments share data", GREEN
    )
    _arrow(d, (468, 300), (492, 300), ORANGE, 4, 10)
    return img


def _d_service_stages():
    img, d = _canvas("Four stages of online government services", "Each stage builds on the one before", accent=ORANGE)
    stages = [
        ("1 Publish", "information, policies, service guides", (150, 190, 230)),
        ("2 Interact", "mailbox, online Q&A, forms to download", BLUE),
        ("3 Transact", "apply, upload, check progress online", TEAL),
        ("4 Integrate", "one window, one login, data shared behind the scenes", ORANGE),
    ]
    for i, (name, desc, color) in enumerate(stages):
        x = 40 + i * 225
        top = 320 - i * 66
        d.rectangle((x, top, x + 210, 440), fill=color)
        _text(d, (x + 14, top + 14), name, 20, WHITE, bold=True)
        _ltext(d, (x + 14, top + 46), desc, 14, WHITE, width=185)
    _arrow(d, (60, 470), (900, 470), GREY, 3)
    _text(d, (60, 494), "static website", 14, GREY)
    _text(d, (900, 494), "one-stop service window", 14, ORANGE, "ra", bold=True)
    return img


def _d_project_lifecycle():
    img, d = _canvas(
        "Life cycle of an informatization project",
        "Projects using fiscal funds go through the Municipal Informatization Office",
        accent=PURPLE,
    )
    steps = [
        ("Plan & propose", "needs, sharing, budget"),
        ("Expert review", "necessity, feasibility"),
        ("Bidding", "open & fair procurement"),
        ("Contract", "scope, deliverables"),
        ("Build", "under supervision"),
        ("Acceptance", "tests, documents"),
        ("Operate & evaluate", "use, benefits"),
    ]
    import math

    cx, cy, rad = 480, 300, 180
    pts = []
    for i in range(len(steps)):
        ang = -math.pi / 2 + i * 2 * math.pi / len(steps)
        pts.append((cx + rad * 1.55 * math.cos(ang), cy + rad * 0.95 * math.sin(ang)))
    for i, p in enumerate(pts):
        q = pts[(i + 1) % len(pts)]
        mx, my = p[0] + (q[0] - p[0]) * 0.72, p[1] + (q[1] - p[1]) * 0.72
        sx, sy = p[0] + (q[0] - p[0]) * 0.28, p[1] + (q[1] - p[1]) * 0.28
        _arrow(d, (sx, sy), (mx, my), (180, 170, 200), 3, 10)
    office = {1, 2, 4, 5}
    for i, ((name, desc), (x, y)) in enumerate(zip(steps, pts, strict=True)):
        color = PURPLE if i in office else BLUE
        _box(d, (x - 92, y - 32, x + 92, y + 32), WHITE, color, None, r=10, width=3)
        _text(d, (x, y - 10), name, 16, color, "mm", bold=True)
        _text(d, (x, y + 14), desc, 13, GREY, "mm")
    _box(d, (360, 250, 600, 350), PALE_PURPLE, PURPLE, None, r=12)
    _ctext(d, (360, 250, 600, 350), "Purple steps are organised by the Municipal Informatization Office", 15, PURPLE)
    return img


def _d_supervision():
    img, d = _canvas(
        "Project supervision: 3 controls, 2 managements, 1 coordination",
        "What the supervisor does for the department",
        accent=PURPLE,
    )
    parties = [
        ((380, 96, 580, 150), "Department (owner)", NAVY),
        ((120, 200, 320, 254), "Contractor", BLUE),
        ((640, 200, 840, 254), "Supervisor", PURPLE),
    ]
    for box, name, color in parties:
        _box(d, box, color, color, name, 16, WHITE, True, r=10)
    d.line([(380, 130), (320, 215)], fill=GREY, width=3)
    d.line([(580, 130), (640, 215)], fill=GREY, width=3)
    _dashed(d, [(322, 227), (638, 227)], GREY, 3)
    _text(d, (480, 212), "supervises on behalf of owner", 13, GREY, "mm")
    groups = [
        ("3 controls", ["Quality", "Schedule", "Investment"], ORANGE, PALE_ORANGE),
        ("2 managements", ["Contract", "Information & documents"], TEAL, PALE_TEAL),
        ("1 coordination", ["Organise & coordinate all parties"], PURPLE, PALE_PURPLE),
    ]
    for i, (name, items, color, pale) in enumerate(groups):
        x = 40 + i * 300
        _box(d, (x, 290, x + 280, 500), pale, color, None, r=12)
        _text(d, (x + 20, 306), name, 20, color, bold=True)
        for j, it in enumerate(items):
            y = 350 + j * 46
            d.rounded_rectangle((x + 20, y, x + 260, y + 36), radius=6, fill=WHITE, outline=color)
            _text(d, (x + 36, y + 18), it, 15, TEXT, "lm")
    return img


# --------------------------------------------------------------------------- mock screenshots


def _s_portal_home():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), "City Government Portal", "www.city.gov.example")
    d.rectangle((x0, y0, x1, y0 + 56), fill=(178, 34, 34))
    _text(d, (x0 + 20, y0 + 28), "City People's Government", 22, WHITE, "lm", bold=True)
    nav = ["Home", "Government info", "For citizens", "For businesses", "Interaction"]
    d.rectangle((x0, y0 + 56, x1, y0 + 92), fill=(150, 28, 28))
    for i, n in enumerate(nav):
        _text(d, (x0 + 30 + i * 150, y0 + 74), n, 15, WHITE, "lm")
    cols = [
        (
            "Government info (G2G / public)",
            ["Notices of the municipal government", "Department budgets & reports", "Statistics releases"],
            BLUE,
            1,
        ),
        (
            "For businesses (G2B)",
            ["Company registration guide", "Tax and fee services", "Bidding announcements"],
            ORANGE,
            2,
        ),
        ("For citizens (G2C)", ["Pension & medical insurance", "Vocational examinations", "Leader mailbox"], GREEN, 3),
    ]
    for i, (title, items, color, n) in enumerate(cols):
        x = x0 + 20 + i * 300
        y = y0 + 116
        _box(d, (x, y, x + 280, y + 250), WHITE, LINE, r=6)
        d.rectangle((x, y, x + 280, y + 36), fill=color)
        _text(d, (x + 12, y + 18), title, 15, WHITE, "lm", bold=True)
        for j, it in enumerate(items):
            yy = y + 60 + j * 44
            d.rectangle((x + 14, yy - 3, x + 20, yy + 3), fill=color)
            _text(d, (x + 30, yy), it, 14, TEXT, "lm")
        _badge(d, (x + 268, y + 2), n)
    _note(
        d,
        (x0 + 20, y1 - 70, x1 - 20, y1 - 20),
        "Ask for each service: who is served - another government body, a business, or a citizen?",
        ORANGE,
        14,
    )
    return img


def _s_lock_screen():
    img = Image.new("RGB", (W, H), (16, 52, 96))
    d = ImageDraw.Draw(img)
    # Left half: lock screen
    d.rectangle((0, 0, 470, H), fill=(12, 40, 78))
    _text(d, (235, 120), "09:30", 64, WHITE, "mm")
    _text(d, (235, 170), "Monday", 18, (200, 215, 235), "mm")
    d.ellipse((195, 230, 275, 310), fill=(60, 100, 150))
    d.ellipse((221, 245, 249, 273), fill=WHITE)
    d.pieslice((207, 272, 263, 330), 180, 360, fill=WHITE)
    _text(d, (235, 330), "Zhang Wei", 20, WHITE, "mm")
    d.rounded_rectangle((135, 360, 335, 392), radius=4, fill=WHITE)
    _text(d, (150, 376), "PIN / password", 14, GREY, "lm")
    _text(d, (235, 420), "Locked - your work is still open", 14, (200, 215, 235), "mm")
    _badge(d, (40, 40), 1)
    _text(d, (62, 40), "Win+L locks at once", 15, WHITE, "lm")
    # Right half: screen saver settings
    x0, y0, x1, y1 = _window(d, (500, 60, 940, 480), "Screen Saver Settings")
    _text(d, (x0 + 20, y0 + 24), "Screen saver", 15, TEXT, "lm", bold=True)
    d.rounded_rectangle((x0 + 20, y0 + 44, x0 + 260, y0 + 72), radius=4, outline=LINE, fill=WHITE)
    _text(d, (x0 + 30, y0 + 58), "(None)  or  Blank", 14, TEXT, "lm")
    _text(d, (x0 + 20, y0 + 110), "Wait:", 15, TEXT, "lm")
    d.rounded_rectangle((x0 + 70, y0 + 96, x0 + 130, y0 + 124), radius=4, outline=ORANGE, fill=WHITE, width=2)
    _text(d, (x0 + 90, y0 + 110), "5", 15, TEXT, "lm")
    _text(d, (x0 + 140, y0 + 110), "minutes", 15, TEXT, "lm")
    _badge(d, (x0 + 150 + 70, y0 + 110), 2)
    d.rectangle((x0 + 20, y0 + 146, x0 + 38, y0 + 164), outline=BLUE, width=2, fill=WHITE)
    _check(d, (x0 + 22, y0 + 148), BLUE, 14)
    _text(d, (x0 + 48, y0 + 155), "On resume, display logon screen", 15, TEXT, "lm")
    _badge(d, (x0 + 330, y0 + 155), 3)
    _note(
        d,
        (x0 + 20, y0 + 200, x1 - 20, y0 + 270),
        "Follow your unit's rule for the wait time; the logon screen option is what makes it a lock.",
        BLUE,
    )
    _button(d, (x1 - 200, y1 - 50, x1 - 110, y1 - 18), "OK")
    _button(d, (x1 - 100, y1 - 50, x1 - 20, y1 - 18), "Cancel", (226, 230, 236), TEXT)
    return img


def _s_password():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (150, 16, 810, 528), "Change password - OA System", "oa.egov.city.example/account")
    _text(d, (x0 + 40, y0 + 20), "Change your password", 22, NAVY, bold=True)
    _field(d, (x0 + 40, y0 + 58), "Current password", "xxxxxxxx", 330, masked=True, label_w=160)
    _field(d, (x0 + 40, y0 + 98), "New password", "xxxxxxxxxxxxxx", 330, masked=True, label_w=160)
    _field(d, (x0 + 40, y0 + 138), "Repeat new", "xxxxxxxxxxxxxx", 330, masked=True, label_w=160)
    _text(d, (x0 + 40, y0 + 190), "Strength", 14, GREY, "lm")
    for i, color in enumerate([RED, ORANGE, GOLD, GREEN]):
        d.rectangle((x0 + 200 + i * 80, y0 + 184, x0 + 274 + i * 80, y0 + 196), fill=color)
    _text(d, (x0 + 530, y0 + 190), "Strong", 14, GREEN, "lm", bold=True)
    _badge(d, (x0 + 610, y0 + 190), 1)
    rules = [
        (True, "At least 12 characters (a short phrase is easier to remember)"),
        (True, "Upper and lower case letters, digits and a symbol"),
        (True, "Not your name, birthday, phone or office number"),
        (True, "Different from the passwords you use on the Internet"),
        (False, "Not one of your last 5 passwords"),
    ]
    for i, (ok, t) in enumerate(rules):
        y = y0 + 224 + i * 28
        (_check if ok else _cross)(d, (x0 + 44, y - 6), GREEN if ok else RED, 13)
        _text(d, (x0 + 70, y), t, 14, TEXT if ok else RED, "lm")
    _badge(d, (x0 + 22, y0 + 280), 2)
    _button(d, (x0 + 40, y1 - 50, x0 + 200, y1 - 14), "Save password")
    _button(d, (x0 + 214, y1 - 50, x0 + 320, y1 - 14), "Cancel", (226, 230, 236), TEXT)
    _badge(d, (x0 + 40, y1 - 50), 3)
    return img


def _s_phishing():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 700, 524), "Mail - Inbox")
    _text(d, (x0 + 20, y0 + 24), "URGENT: your mailbox will be closed in 24 hours", 18, TEXT, "lm", bold=True)
    _text(d, (x0 + 20, y0 + 56), "From:  IT Support <it-support@govmail-secure.example>", 14, TEXT, "lm")
    _text(d, (x0 + 20, y0 + 80), "To:      you", 14, GREY, "lm")
    d.line([(x0 + 10, y0 + 100), (x1 - 10, y0 + 100)], fill=LINE)
    body = (
        "Dear user, our system detected abnormal activity. To avoid losing your mail, "
        "verify your account and password within 24 hours:"
    )
    y = _ltext(d, (x0 + 20, y0 + 120), body, 15, TEXT, width=620, spacing=6)
    _text(d, (x0 + 20, y + 18), "Click here to verify your account", 15, BLUE, "lm")
    d.line([(x0 + 20, y + 28), (x0 + 262, y + 28)], fill=BLUE)
    d.rounded_rectangle((x0 + 60, y + 36, x0 + 420, y + 62), radius=4, fill=(255, 255, 225), outline=GREY)
    _text(d, (x0 + 70, y + 49), "http://mail-verify.example.top/login.php", 13, TEXT, "lm")
    _text(d, (x0 + 20, y + 92), "IT Support Center", 15, TEXT, "lm")
    d.rounded_rectangle((x0 + 20, y1 - 70, x0 + 330, y1 - 30), radius=6, fill=LIGHT, outline=LINE)
    d.rectangle((x0 + 30, y1 - 62, x0 + 52, y1 - 38), fill=RED)
    _text(d, (x0 + 62, y1 - 50), "Salary_adjustment_list.exe", 14, TEXT, "lm")
    for n, (bx, by) in enumerate(
        [(x1 - 30, y0 + 24), (x1 - 60, y0 + 56), (x0 + 440, y + 49), (x0 + 345, y1 - 50)], start=1
    ):
        _badge(d, (bx, by), n, RED)
    notes = [
        "Pressure: 'urgent', '24 hours', threats",
        "Look-alike sender address, not your unit's domain",
        "Link text and real address differ (hover to see)",
        "Executable or macro attachment",
    ]
    for i, t in enumerate(notes):
        y = 30 + i * 100
        _badge(d, (730, y + 30), i + 1, RED)
        _note(d, (750, y + 4, 944, y + 84), t, RED, 14)
    _note(d, (730, 430, 944, 510), "Real IT staff never ask for your password", GREEN, 14)
    return img


def _s_usb():
    img = Image.new("RGB", (W, H), (36, 84, 120))
    d = ImageDraw.Draw(img)
    for i, label in enumerate(["Documents", "OA System", "Recycle Bin"]):
        y = 40 + i * 100
        d.rounded_rectangle((30, y, 90, y + 56), radius=6, fill=(230, 236, 244))
        _text(d, (60, y + 72), label, 13, WHITE, "mm")
    d.rectangle((0, H - 40, W, H), fill=(20, 30, 44))
    _text(d, (W - 20, H - 20), "09:41", 14, WHITE, "rm")
    # USB stick
    d.rounded_rectangle((140, 300, 300, 360), radius=10, fill=(60, 60, 70))
    d.rectangle((300, 312, 340, 348), fill=(190, 190, 196))
    d.rectangle((312, 320, 320, 328), fill=(60, 60, 70))
    d.rectangle((324, 332, 332, 340), fill=(60, 60, 70))
    _cross(d, (210, 316), RED, 28)
    x0, y0, x1, y1 = _window(d, (380, 110, 900, 420), "Terminal Security Client", bar=(250, 228, 226))
    d.ellipse((x0 + 24, y0 + 24, x0 + 80, y0 + 80), fill=RED)
    _text(d, (x0 + 52, y0 + 52), "!", 32, WHITE, "mm", bold=True)
    _text(d, (x0 + 100, y0 + 36), "Removable storage blocked", 20, RED, "lm", bold=True)
    _ltext(
        d,
        (x0 + 100, y0 + 62),
        "This computer handles internal business. The USB device is not registered with "
        "your unit. No files were read or written.",
        15,
        TEXT,
        width=390,
        spacing=5,
    )
    _text(d, (x0 + 100, y0 + 160), "Device: USB Mass Storage (unknown)", 14, GREY, "lm")
    _text(d, (x0 + 100, y0 + 184), "Contact your unit's security officer to register a device.", 14, GREY, "lm")
    _button(d, (x1 - 120, y1 - 50, x1 - 24, y1 - 16), "OK")
    _badge(d, (900, 110), 1, RED)
    return img


def _s_self_check():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(
        d, (20, 16, 940, 524), "Information Security Self-Check - Department Form", "sec.egov.city.example/selfcheck"
    )
    _text(
        d,
        (x0 + 24, y0 + 26),
        "Department: Statistics Bureau      Period: this year      Filled by: security officer",
        14,
        GREY,
        "lm",
    )
    d.rectangle((x0 + 20, y0 + 48, x1 - 20, y0 + 80), fill=NAVY)
    for x, t in [(x0 + 34, "Check item"), (x1 - 290, "Yes"), (x1 - 230, "No"), (x1 - 170, "Evidence / note")]:
        _text(d, (x, y0 + 64), t, 14, WHITE, "lm", bold=True)
    rows = [
        ("Security officer appointed and known to staff", True, "notice on intranet"),
        ("Inventory of computers, servers and systems up to date", True, "asset list"),
        ("Important systems graded and filed", False, "fix by end of quarter"),
        ("Password and screen-lock rules enforced", True, "policy applied"),
        ("Antivirus and patches up to date on all PCs", True, "console report"),
        ("Classified and Internet computers separated", True, "spot check"),
        ("Backups made and a restore tested", False, "no restore test"),
        ("Incident plan exists and was rehearsed", True, "drill record"),
    ]
    for i, (t, ok, note) in enumerate(rows):
        y = y0 + 82 + i * 34
        if i % 2:
            d.rectangle((x0 + 20, y, x1 - 20, y + 34), fill=(247, 249, 252))
        _text(d, (x0 + 34, y + 17), f"{i + 1}. {t}", 14, TEXT, "lm")
        for j, xx in enumerate([x1 - 290, x1 - 230]):
            d.ellipse((xx, y + 9, xx + 16, y + 25), outline=GREY, width=2, fill=WHITE)
            if (j == 0) == ok:
                d.ellipse((xx + 4, y + 13, xx + 12, y + 21), fill=GREEN if ok else RED)
        _text(d, (x1 - 170, y + 17), note, 13, GREY if ok else RED, "lm")
    _badge(d, (x0 + 20, y0 + 82 + 2 * 34 + 17), 1)
    _button(d, (x1 - 300, y1 - 50, x1 - 170, y1 - 16), "Save draft", (226, 230, 236), TEXT)
    _button(d, (x1 - 160, y1 - 50, x1 - 20, y1 - 16), "Submit to office")
    _badge(d, (x1 - 160, y1 - 50), 2)
    _note(d, (x0 + 24, y1 - 54, x0 + 470, y1 - 12), "Every 'No' needs a fix-by date and a responsible person", ORANGE)
    return img


def _oa_shell(d, title, active):
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), title, "oa.egov.city.example")
    d.rectangle((x0, y0, x1, y0 + 46), fill=TEAL)
    _text(d, (x0 + 18, y0 + 23), "City OA", 20, WHITE, "lm", bold=True)
    _text(d, (x1 - 18, y0 + 23), "Li Na | Finance Bureau | Log out", 14, WHITE, "rm")
    d.rectangle((x0, y0 + 46, x0 + 170, y1), fill=(236, 242, 241))
    menu = ["To do (5)", "Done", "Read & circulate", "Tracking", "Draft new", "Archive"]
    for i, m in enumerate(menu):
        y = y0 + 66 + i * 40
        if m.startswith(active):
            d.rectangle((x0, y - 14, x0 + 170, y + 22), fill=WHITE)
            d.rectangle((x0, y - 14, x0 + 5, y + 22), fill=TEAL)
        _text(d, (x0 + 20, y + 4), m, 15, TEXT, "lm", bold=m.startswith(active))
    return x0 + 170, y0 + 46, x1, y1


def _s_oa_inbox():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _oa_shell(d, "City OA - To do", "To do")
    d.rectangle((x0 + 16, y0 + 16, x1 - 16, y0 + 48), fill=(236, 242, 241))
    cols = [(x0 + 26, "Title"), (x0 + 330, "From"), (x0 + 470, "Type"), (x0 + 560, "Deadline")]
    for x, t in cols:
        _text(d, (x, y0 + 32), t, 14, GREY, "lm", bold=True)
    rows = [
        ("Notice on preparing next year's budget", "Government Office", "Incoming", "3 days", True),
        ("Reply: statistics reporting schedule", "Statistics Bureau", "Incoming", "5 days", False),
        ("Draft: training plan for civil servants", "Personnel section", "Outgoing", "today", True),
        ("Request for shared population data", "Labor Bureau", "Letter", "7 days", False),
        ("Circular on information security check", "Informatization Office", "Read", "-", False),
    ]
    for i, (t, f, k, dl, urgent) in enumerate(rows):
        y = y0 + 52 + i * 48
        d.line([(x0 + 16, y + 48), (x1 - 16, y + 48)], fill=LINE)
        if urgent:
            d.rectangle((x0 + 16, y + 8, x0 + 20, y + 40), fill=RED)
        _text(d, (x0 + 26, y + 24), t, 14, TEXT, "lm", bold=i == 0)
        _text(d, (x0 + 330, y + 24), f, 13, GREY, "lm")
        _text(d, (x0 + 470, y + 24), k, 13, GREY, "lm")
        _text(d, (x0 + 560, y + 24), dl, 13, RED if dl in ("today", "3 days") else GREY, "lm")
    _badge(d, (x0 - 160 + 130, y0 + 24), 1)
    _badge(d, (x0 + 300, y0 + 76), 2)
    _badge(d, (x0 + 640, y0 + 76), 3)
    _note(
        d,
        (x0 + 16, y1 - 90, x1 - 16, y1 - 20),
        "(1) To-do list  |  (2) Open an item by its title  |  (3) Red deadlines are due soon - handle them first",
        TEAL,
        14,
    )
    return img


def _s_oa_form():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _oa_shell(d, "City OA - Outgoing document approval", "To do")
    steps = ["Draft", "Section", "Office", "Countersign", "Sign-off", "Seal"]
    for i, s in enumerate(steps):
        x = x0 + 24 + i * 120
        color = GREEN if i < 2 else (ORANGE if i == 2 else LINE)
        d.ellipse((x, y0 + 14, x + 20, y0 + 34), fill=color)
        _text(d, (x + 26, y0 + 24), s, 13, TEXT if i <= 2 else GREY, "lm")
    fields = [
        ("Title", "Notice on the civil servant IT training plan"),
        ("Drafted by", "Li Na, Personnel section"),
        ("Classification", "Non-classified"),
        ("Urgency", "Normal"),
    ]
    for i, (k, v) in enumerate(fields):
        _field(d, (x0 + 24, y0 + 46 + i * 32), k, v, 430, label_w=130)
    _text(d, (x0 + 24, y0 + 186), "Opinions so far", 14, GREY, "lm", bold=True)
    d.rectangle((x0 + 24, y0 + 198, x1 - 24, y0 + 244), fill=(247, 249, 252), outline=LINE)
    _text(d, (x0 + 34, y0 + 212), "Section head Wang: Agree, please check the dates in item 3.", 13, TEXT, "lm")
    _text(d, (x0 + 34, y0 + 232), "(signed electronically, with time stamp)", 12, GREY, "lm")
    _text(d, (x0 + 24, y0 + 260), "Your opinion", 14, GREY, "lm", bold=True)
    d.rectangle((x0 + 24, y0 + 272, x1 - 24, y0 + 316), fill=WHITE, outline=ORANGE, width=2)
    _text(d, (x0 + 34, y0 + 288), "Format checked. Agree, send to countersign.", 13, TEXT, "lm")
    _badge(d, (x1 - 30, y0 + 272), 1)
    _button(d, (x0 + 24, y1 - 50, x0 + 214, y1 - 16), "Agree, send to next step")
    _button(d, (x0 + 226, y1 - 50, x0 + 336, y1 - 16), "Return", RED)
    _button(d, (x0 + 348, y1 - 50, x0 + 458, y1 - 16), "Save", (226, 230, 236), TEXT)
    _badge(d, (x0 + 24, y1 - 50), 2)
    _badge(d, (x0 + 226, y1 - 50), 3)
    return img


def _s_resource_catalog():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(
        d, (20, 16, 940, 524), "Resource Catalogue - Register a resource", "share.egov.city.example/catalogue/new"
    )
    _text(d, (x0 + 30, y0 + 28), "Register an information resource", 20, NAVY, "lm", bold=True)
    fields = [
        ("Resource name", "Monthly statistics of major economic indicators"),
        ("Provider", "Statistics Bureau"),
        ("Contact", "Data section, ext. 1234"),
        ("Update frequency", "Monthly"),
        ("Format", "Database table, download / API"),
    ]
    for i, (k, v) in enumerate(fields):
        _field(d, (x0 + 30, y0 + 58 + i * 40), k, v, 480, label_w=150)
    y = y0 + 270
    _text(d, (x0 + 30, y + 10), "Sharing type", 14, GREY, "lm")
    for i, (t, sel) in enumerate([("Unconditional", False), ("Conditional", True), ("Not shared", False)]):
        x = x0 + 180 + i * 160
        d.ellipse((x, y + 2, x + 16, y + 18), outline=GREY, width=2, fill=WHITE)
        if sel:
            d.ellipse((x + 4, y + 6, x + 12, y + 14), fill=BLUE)
        _text(d, (x + 24, y + 10), t, 14, TEXT, "lm")
    _badge(d, (x0 + 680, y + 10), 1)
    _field(d, (x0 + 30, y + 36), "Conditions", "Only for government statistics and planning use", 480, label_w=150)
    _field(d, (x0 + 30, y + 76), "Legal basis", "Statistics law; unit approval on file", 480, label_w=150)
    _badge(d, (x0 + 680, y + 50), 2)
    _button(d, (x1 - 320, y1 - 50, x1 - 170, y1 - 16), "Save draft", (226, 230, 236), TEXT)
    _button(d, (x1 - 160, y1 - 50, x1 - 20, y1 - 16), "Submit for review")
    _badge(d, (x1 - 160, y1 - 50), 3)
    return img


def _s_ping():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), "Command Prompt", bar=(60, 64, 72), fg=WHITE)
    d.rectangle((x0, y0, x1, y1), fill=BLACK)
    lines = [
        ("C:\\> ipconfig", WHITE),
        ("Ethernet adapter Ethernet:", (200, 200, 200)),
        ("   IPv4 Address. . . . . . . . . : 10.20.30.45", (120, 220, 140)),
        ("   Subnet Mask . . . . . . . . . : 255.255.255.0", (200, 200, 200)),
        ("   Default Gateway . . . . . . . : 10.20.30.1", (120, 220, 140)),
        ("", WHITE),
        ("C:\\> ping 10.20.30.1", WHITE),
        ("Reply from 10.20.30.1: bytes=32 time<1ms TTL=255", (200, 200, 200)),
        ("Reply from 10.20.30.1: bytes=32 time<1ms TTL=255", (200, 200, 200)),
        ("Packets: Sent = 4, Received = 4, Lost = 0 (0% loss)", (120, 220, 140)),
        ("", WHITE),
        ("C:\\> ping oa.egov.city.example", WHITE),
        ("Request timed out.", (240, 120, 110)),
        ("Packets: Sent = 4, Received = 0, Lost = 4 (100% loss)", (240, 120, 110)),
    ]
    for i, (t, color) in enumerate(lines):
        _text(d, (x0 + 16, y0 + 16 + i * 25), t, 15, color)
    for n, y in [(1, y0 + 16 + 2 * 25 + 8), (2, y0 + 16 + 9 * 25 + 8), (3, y0 + 16 + 13 * 25 + 8)]:
        _badge(d, (x1 - 250, y), n)
    _note(d, (x1 - 230, y0 + 40, x1 - 14, y0 + 120), "1 Write down IP and gateway for the IT staff", ORANGE, 13)
    _note(d, (x1 - 230, y0 + 210, x1 - 14, y0 + 280), "2 Gateway answers: your cable and switch are fine", GREEN, 13)
    _note(
        d, (x1 - 230, y0 + 320, x1 - 14, y0 + 400), "3 Server does not answer: report it, with these results", RED, 13
    )
    return img


def _s_service_guide():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), "Service guide", "www.city.gov.example/service/guide")
    _text(d, (x0 + 30, y0 + 30), "Service guide: vocational qualification exam registration", 20, NAVY, "lm", bold=True)
    _text(d, (x0 + 30, y0 + 58), "Department: Personnel Bureau    Service type: for citizens", 14, GREY, "lm")
    items = [
        ("Legal basis", "the regulation the service is based on"),
        ("Who can apply", "conditions, in plain words"),
        ("Materials", "list, number of copies, originals or copies, templates"),
        ("Process", "steps, online or at the counter"),
        ("Time limit", "working days promised"),
        ("Fees", "amount and legal basis, or 'free'"),
        ("Contact", "phone, address, hours, online Q&A"),
    ]
    for i, (k, v) in enumerate(items):
        y = y0 + 88 + i * 44
        d.rectangle((x0 + 30, y, x0 + 180, y + 36), fill=PALE_ORANGE)
        _text(d, (x0 + 42, y + 18), k, 14, ORANGE, "lm", bold=True)
        d.rectangle((x0 + 180, y, x1 - 200, y + 36), fill=WHITE, outline=LINE)
        _text(d, (x0 + 192, y + 18), v, 14, TEXT, "lm")
    _button(d, (x1 - 180, y0 + 88, x1 - 30, y0 + 124), "Apply online", GREEN)
    _button(d, (x1 - 180, y0 + 136, x1 - 30, y0 + 172), "Download forms", BLUE)
    _button(d, (x1 - 180, y0 + 184, x1 - 30, y0 + 220), "Ask a question", PURPLE)
    _badge(d, (x0 + 30, y0 + 88), 1)
    _badge(d, (x1 - 180, y0 + 88), 2)
    return img


def _s_onestop():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), "One-stop Service Window", "service.city.gov.example")
    d.rectangle((x0, y0, x1, y0 + 56), fill=ORANGE)
    _text(d, (x0 + 20, y0 + 28), "City One-stop Service Window", 22, WHITE, "lm", bold=True)
    _button(d, (x1 - 220, y0 + 14, x1 - 20, y0 + 42), "Log in with unified ID", WHITE, ORANGE, 14)
    _badge(d, (x1 - 220, y0 + 14), 1)
    d.rounded_rectangle((x0 + 120, y0 + 74, x1 - 120, y0 + 108), radius=17, fill=WHITE, outline=ORANGE, width=2)
    _text(d, (x0 + 140, y0 + 91), "What do you need to do?  e.g. 'retirement', 'open a shop'", 15, GREY, "lm")
    _badge(d, (x1 - 120, y0 + 91), 2)
    _text(d, (x0 + 30, y0 + 138), "For citizens - by life event", 16, GREEN, "lm", bold=True)
    life = ["Birth", "Schooling", "Work", "Social insurance", "Housing", "Retirement"]
    for i, t in enumerate(life):
        x = x0 + 30 + i * 146
        _box(d, (x, y0 + 156, x + 134, y0 + 206), PALE_GREEN, GREEN, t, 14, r=8)
    _text(d, (x0 + 30, y0 + 236), "For businesses - by business stage", 16, BLUE, "lm", bold=True)
    biz = ["Start up", "Permits", "Tax", "Hiring", "Projects", "Closing"]
    for i, t in enumerate(biz):
        x = x0 + 30 + i * 146
        _box(d, (x, y0 + 254, x + 134, y0 + 304), SKY, BLUE, t, 14, r=8)
    _box(d, (x0 + 30, y0 + 330, x0 + 440, y1 - 20), WHITE, TEAL, None, r=8)
    _text(d, (x0 + 46, y0 + 350), "Track my application", 16, TEAL, "lm", bold=True)
    _text(d, (x0 + 46, y0 + 380), "Receipt no.  A-000123   Status: under review", 14, TEXT, "lm")
    _badge(d, (x0 + 440, y0 + 330), 3)
    _box(d, (x0 + 470, y0 + 330, x1 - 30, y1 - 20), WHITE, PURPLE, None, r=8)
    _text(d, (x0 + 486, y0 + 350), "Ask & feedback", 16, PURPLE, "lm", bold=True)
    _text(d, (x0 + 486, y0 + 380), "Answered within the promised working days", 14, TEXT, "lm")
    return img


def _s_application():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(d, (20, 16, 940, 524), "Online application", "service.city.gov.example/apply")
    steps = ["Fill in form", "Upload materials", "Submit", "Accepted", "Result"]
    for i, s in enumerate(steps):
        x = x0 + 40 + i * 178
        color = GREEN if i < 1 else (ORANGE if i == 1 else LINE)
        d.ellipse((x, y0 + 20, x + 30, y0 + 50), fill=color)
        _text(d, (x + 15, y0 + 35), str(i + 1), 15, WHITE, "mm", bold=True)
        _text(d, (x + 38, y0 + 35), s, 14, TEXT, "lm")
        if i < 4:
            end = x + 38 + _font(14).getlength(s) + 8
            d.line([(end, y0 + 35), (x + 172, y0 + 35)], fill=LINE, width=2)
    _text(d, (x0 + 40, y0 + 84), "Upload materials", 20, NAVY, "lm", bold=True)
    files = [
        ("ID card (already on file - reused)", "shared", GREEN),
        ("Application form (signed)", "uploaded", GREEN),
        ("Diploma copy", "missing", RED),
    ]
    for i, (t, st, color) in enumerate(files):
        y = y0 + 116 + i * 56
        _box(d, (x0 + 40, y, x1 - 40, y + 46), WHITE, LINE, r=6)
        _text(d, (x0 + 60, y + 23), t, 15, TEXT, "lm")
        d.rounded_rectangle((x1 - 200, y + 10, x1 - 60, y + 36), radius=12, fill=color)
        _text(d, (x1 - 130, y + 23), st, 13, WHITE, "mm", bold=True)
    _badge(d, (x0 + 40, y0 + 116), 1)
    _badge(d, (x0 + 40, y0 + 228), 2)
    _note(
        d,
        (x0 + 40, y0 + 296, x1 - 40, y0 + 340),
        "Data other departments already hold is fetched through the "
        "exchange platform - the applicant does not upload it again.",
        TEAL,
        14,
    )
    _button(d, (x1 - 330, y1 - 56, x1 - 190, y1 - 20), "Back", (226, 230, 236), TEXT)
    _button(d, (x1 - 180, y1 - 56, x1 - 40, y1 - 20), "Next")
    _badge(d, (x1 - 180, y1 - 56), 3)
    return img


def _s_project_review():
    img = Image.new("RGB", (W, H), LIGHT)
    d = ImageDraw.Draw(img)
    x0, y0, x1, y1 = _window(
        d, (20, 16, 940, 524), "Project review - expert scoring sheet", "pm.egov.city.example/review"
    )
    _text(d, (x0 + 24, y0 + 26), "Project: departmental document system upgrade (sample)", 18, NAVY, "lm", bold=True)
    _text(
        d,
        (x0 + 24, y0 + 52),
        "Applicant: a municipal bureau    Funding: fiscal    Reviewer: expert 2 of 5",
        14,
        GREY,
        "lm",
    )
    d.rectangle((x0 + 20, y0 + 72, x1 - 20, y0 + 102), fill=PURPLE)
    for x, t in [(x0 + 32, "Criterion"), (x1 - 330, "Max"), (x1 - 260, "Score"), (x1 - 180, "Comment")]:
        _text(d, (x, y0 + 87), t, 14, WHITE, "lm", bold=True)
    rows = [
        ("Necessity and real demand", 20, 17, ""),
        ("Reuse of the unified platform and shared systems", 20, 8, "use city OA"),
        ("Technical soundness and security", 20, 15, ""),
        ("Budget reasonableness (build + run)", 20, 10, "no O&M cost"),
        ("Measurable benefits and use", 20, 14, ""),
    ]
    for i, (t, mx, sc, cm) in enumerate(rows):
        y = y0 + 102 + i * 40
        d.line([(x0 + 20, y + 40), (x1 - 20, y + 40)], fill=LINE)
        _text(d, (x0 + 32, y + 20), t, 14, TEXT, "lm")
        _text(d, (x1 - 320, y + 20), str(mx), 14, GREY, "lm")
        color = RED if sc < 12 else TEXT
        d.rectangle((x1 - 264, y + 8, x1 - 204, y + 32), outline=LINE, fill=WHITE)
        _text(d, (x1 - 234, y + 20), str(sc), 14, color, "mm", bold=sc < 12)
        _text(d, (x1 - 180, y + 20), cm, 13, RED, "lm")
    _text(d, (x0 + 32, y0 + 322), "Total: 64 / 100      Recommendation:", 15, TEXT, "lm", bold=True)
    for x_off, (t, sel) in zip(
        (330, 450, 640), [("Approve", False), ("Revise and resubmit", True), ("Reject", False)], strict=True
    ):
        x = x0 + x_off
        d.ellipse((x, y0 + 314, x + 16, y0 + 330), outline=GREY, width=2, fill=WHITE)
        if sel:
            d.ellipse((x + 4, y0 + 318, x + 12, y0 + 326), fill=PURPLE)
        _text(d, (x + 24, y0 + 322), t, 14, TEXT, "lm")
    _badge(d, (x1 - 30, y0 + 142 + 20), 1)
    _badge(d, (x0 + 314, y0 + 322), 2)
    _note(
        d,
        (x0 + 24, y1 - 60, x1 - 200, y1 - 16),
        "Prepare your proposal so that every criterion has evidence",
        PURPLE,
        14,
    )
    _button(d, (x1 - 170, y1 - 52, x1 - 24, y1 - 18), "Submit score", PURPLE)
    return img


# --------------------------------------------------------------------------- registry


def _cover(label, kicker, tagline, icon, color, level):
    return {
        "kind": "cover",
        "label": label,
        "kicker": kicker,
        "tagline": tagline,
        "icon": icon,
        "color": color,
        "level": level,
    }


IMAGES = {
    # Covers
    "cover-egov-basics": {
        "title": "课程封面：电子政务基础",
        **_cover(
            "E-Government Basics", "Course 1", "G2G, G2B, G2C and the 1-4-12 framework", "building", BLUE, "Beginner"
        ),
    },
    "cover-terminal-security": {
        "title": "课程封面：安全使用办公终端与政务网络",
        **_cover(
            "Safe Office Computing",
            "Course 2",
            "Passwords, screen lock, phishing, USB and the three networks",
            "laptop-lock",
            TEAL,
            "Beginner",
        ),
    },
    "cover-infosec-opinions": {
        "title": "课程封面：信息安全保障",
        **_cover(
            "Information Security Safeguards",
            "Course 3",
            "Putting the national Opinions into practice",
            "shield",
            RED,
            "Intermediate",
        ),
    },
    "cover-office-automation": {
        "title": "课程封面：办公自动化与网上公文审批",
        **_cover(
            "Office Automation",
            "Course 4",
            "Online document drafting, approval and archiving",
            "documents",
            (34, 128, 118),
            "Beginner",
        ),
    },
    "cover-unified-network": {
        "title": "课程封面：统一电子政务网络平台",
        **_cover(
            "Unified E-Gov Network",
            "Course 5",
            "One platform, shared lines, shared information",
            "network",
            NAVY,
            "Intermediate",
        ),
    },
    "cover-one-stop-portal": {
        "title": "课程封面：一站式网上服务窗口",
        **_cover(
            "One-Stop Online Services",
            "Course 6",
            "From static pages to services citizens can use",
            "portal",
            (214, 110, 40),
            "Intermediate",
        ),
    },
    "cover-project-governance": {
        "title": "课程封面：信息化项目管理",
        **_cover(
            "IT Project Governance",
            "Course 7",
            "Review, bidding, supervision and acceptance",
            "gantt",
            PURPLE,
            "Advanced",
        ),
    },
    # Diagrams
    "diagram-1-4-12": {"title": "一个平台、四个基础库、十二个业务系统", "kind": "diagram", "draw": _d_1_4_12},
    "diagram-g2g-g2b-g2c": {"title": "电子政务的三种基本形态：G2G、G2B、G2C", "kind": "diagram", "draw": _d_g2x},
    "diagram-city-status": {"title": "本市电子政务现状一览", "kind": "diagram", "draw": _d_city_status},
    "diagram-three-networks": {
        "title": "涉密内网、政务外网与互联网的隔离要求",
        "kind": "diagram",
        "draw": _d_three_networks,
    },
    "diagram-security-tasks": {
        "title": "《关于加强信息安全保障工作的意见》主要任务",
        "kind": "diagram",
        "draw": _d_security_tasks,
    },
    "diagram-graded-protection": {
        "title": "信息安全等级保护：五个级别与五个环节",
        "kind": "diagram",
        "draw": _d_graded,
    },
    "diagram-incident-flow": {"title": "信息安全事件处置流程", "kind": "diagram", "draw": _d_incident},
    "diagram-oa-approval-flow": {"title": "发文网上审批流程", "kind": "diagram", "draw": _d_oa_flow},
    "diagram-city-network": {"title": "从 10 条专线到统一网络平台", "kind": "diagram", "draw": _d_city_network},
    "diagram-platform-layers": {"title": "统一电子政务平台的层次结构", "kind": "diagram", "draw": _d_platform_layers},
    "diagram-resource-sharing": {"title": "政务信息资源目录与交换", "kind": "diagram", "draw": _d_resource_sharing},
    "diagram-static-vs-onestop": {
        "title": "静态网站与一站式服务窗口对比",
        "kind": "diagram",
        "draw": _d_static_vs_onestop,
    },
    "diagram-service-stages": {"title": "网上政务服务的四个阶段", "kind": "diagram", "draw": _d_service_stages},
    "diagram-project-lifecycle": {"title": "信息化项目全生命周期", "kind": "diagram", "draw": _d_project_lifecycle},
    "diagram-supervision": {"title": "信息系统工程监理：三控两管一协调", "kind": "diagram", "draw": _d_supervision},
    # Mock screenshots
    "shot-gov-portal-home": {"title": "政府门户网站首页（示意）", "kind": "screenshot", "draw": _s_portal_home},
    "shot-lock-screen": {"title": "锁屏界面与屏幕保护设置（示意）", "kind": "screenshot", "draw": _s_lock_screen},
    "shot-password-strength": {"title": "修改密码与强度提示（示意）", "kind": "screenshot", "draw": _s_password},
    "shot-phishing-email": {"title": "钓鱼邮件的四个破绽（示意）", "kind": "screenshot", "draw": _s_phishing},
    "shot-usb-warning": {"title": "终端管控软件拦截未登记 U 盘（示意）", "kind": "screenshot", "draw": _s_usb},
    "shot-security-self-check": {"title": "部门信息安全自查表（示意）", "kind": "screenshot", "draw": _s_self_check},
    "shot-oa-inbox": {"title": "OA 系统待办列表（示意）", "kind": "screenshot", "draw": _s_oa_inbox},
    "shot-oa-approval-form": {"title": "OA 发文审批单（示意）", "kind": "screenshot", "draw": _s_oa_form},
    "shot-resource-catalog": {
        "title": "信息资源目录登记页面（示意）",
        "kind": "screenshot",
        "draw": _s_resource_catalog,
    },
    "shot-ping-test": {"title": "用 ipconfig 和 ping 检查网络连通性（示意）", "kind": "screenshot", "draw": _s_ping},
    "shot-service-guide": {"title": "网上办事指南页面（示意）", "kind": "screenshot", "draw": _s_service_guide},
    "shot-onestop-portal": {"title": "一站式网上服务窗口首页（示意）", "kind": "screenshot", "draw": _s_onestop},
    "shot-online-application": {"title": "网上申报材料上传（示意）", "kind": "screenshot", "draw": _s_application},
    "shot-project-review": {"title": "项目评审专家打分表（示意）", "kind": "screenshot", "draw": _s_project_review},
}


def render_png(key: str) -> bytes:
    """Render one image to PNG bytes (960 x 540). Same key, same bytes."""
    spec = IMAGES[key]
    img = _draw_cover(spec) if spec["kind"] == "cover" else spec["draw"]()
    return _to_png(img)


# --------------------------------------------------------------------------- downloadable documents

DOCUMENTS = {
    "handout-egov-basics": {
        "title": "电子政务基础学习要点卡",
        "filename": "egov-basics-handout.txt",
        "content": """电子政务基础学习要点卡

一、什么是电子政务
  政府机关运用现代计算机、网络和通信技术，把管理和服务职能转移到网络上完成，
  同时优化重组组织结构和工作流程，向社会提供高效、优质、规范、透明的管理和服务。
  要点：技术是手段；流程要重组；资源要共享。

二、三种基本形态
  G2G  政府与政府之间：公文交换、财政预算、统计上报、部门间数据共享
  G2B  政府对企业：企业登记、审批许可、税费服务、招标采购信息
  G2C  政府对公众：社会保障、就业、考试报名、政策查询、网上咨询

三、国家框架：一个平台、四个基础库、十二个业务系统
  一个平台：统一的电子政务网络平台（政务内网 + 政务外网）
  四个基础库：人口、法人单位、空间地理和自然资源、宏观经济
  十二个业务系统：办公业务资源、宏观经济管理、金税、金关、金财、金融监管（含金卡）、
                  金审、社会保障（金保）、金农、金盾、金质、金水

四、本市基本情况（来自全市党政机关电子政务建设调研）
  25 个市直部门建有局域网，其中 11 个已与省联网
  党政系统计算机终端超过 1500 台，网络和服务器设备约 180 台
  各部门专业技术人员总数不足 30 人
  主要问题：人才缺乏；缺乏统一规划、重复投资；重硬件、轻应用；建设思路不清

五、五项对策
  1. 加强组织管理，发挥市信息化工作办公室统筹协调作用
  2. 实行项目评审、招标、监理和验收制度
  3. 加快建设全市统一的电子政务网络平台，建立“一站式”服务窗口
  4. 通过工程外包、联合开发借用外部人才
  5. 普及电子政务知识，提高公务员信息意识和技能
""",
    },
    "checklist-terminal-safety": {
        "title": "办公终端安全自查清单",
        "filename": "terminal-safety-checklist.txt",
        "content": """办公终端安全自查清单
使用人：__________  科室：__________  检查日期：__________
（逐项核对，符合的打“√”，不符合的写明情况并联系本单位信息化管理员）

【网络与保密】
[ ] 1. 清楚本机属于涉密网络、政务外网还是互联网
[ ] 2. 涉密信息只在涉密计算机上处理，本机未存储涉密文件（非涉密计算机）
[ ] 3. 本机只连接一张网络，没有同时连接无线网卡、随身 Wi-Fi 或手机热点
[ ] 4. 未私自加装无线路由器，未更改 IP 地址

【账号与口令】
[ ] 5. 开机口令、OA 口令均为 8 位以上，含大小写字母、数字和符号
[ ] 6. 工作口令与个人网站、网购账号口令不同
[ ] 7. 口令未写在便签、台历或桌面文件中，未告诉他人
[ ] 8. 数字证书（USB Key）本人保管，用完即拔

【锁屏与离岗】
[ ] 9. 已设置屏幕保护并勾选“在恢复时显示登录屏幕”
[ ] 10. 离开座位时按 Win+L 锁屏
[ ] 11. 下班时关闭计算机和显示器

【软件与更新】
[ ] 12. 操作系统和办公软件补丁已更新
[ ] 13. 杀毒软件已开启，病毒库为最新
[ ] 14. 未安装来历不明或未经批准的软件

【移动存储介质】
[ ] 15. 未使用来历不明的 U 盘
[ ] 16. 涉密 U 盘未接入非涉密计算机，非涉密 U 盘未接入涉密计算机
[ ] 17. 未在办公计算机上给手机充电或连接个人设备

【邮件与数据】
[ ] 18. 不点击可疑邮件中的链接，不打开可疑附件，不在邮件中提供口令
[ ] 19. 内部工作文件未通过互联网邮箱或聊天工具转发
[ ] 20. 重要文件已保存到单位指定位置并定期备份
""",
    },
    "template-security-self-check": {
        "title": "部门信息安全自查表",
        "filename": "department-security-self-check.txt",
        "content": """部门信息安全自查表
单位：__________  自查时间：__________  填表人（信息安全管理员）：__________
分管领导审核：__________
填写说明：每项填“是/否”；填“否”的须写明原因、整改措施、责任人和完成时限。

一、组织管理
  1. 单位主要负责人为信息安全第一责任人，已明确分管领导        是 / 否
  2. 已指定信息安全管理员，全体人员知道联系方式              是 / 否
  3. 已制定终端、口令、移动介质、网站发布、备份等管理制度      是 / 否
  4. 与外包服务商签订了保密和安全协议                        是 / 否

二、资产与等级保护
  5. 计算机、服务器、网络设备和信息系统台账完整准确            是 / 否
  6. 各信息系统已明确负责人                                  是 / 否
  7. 重要信息系统已定级；第二级及以上已向公安机关备案          是 / 否
  8. 第三级及以上系统已按期开展等级测评                      是 / 否

三、终端安全
  9. 口令和屏幕锁定策略已落实                                是 / 否
  10. 所有终端杀毒软件开启并更新，补丁及时安装                是 / 否
  11. 移动存储介质登记管理，涉密介质专管专用                  是 / 否

四、网络安全
  12. 涉密计算机与互联网、政务外网物理隔离                    是 / 否
  13. 无私接无线路由器、双网卡同时连接内外网等情况            是 / 否
  14. 网站和对外服务系统已做安全检测                          是 / 否

五、数据安全
  15. 重要数据定期备份，并做过恢复测试                        是 / 否
  16. 个人信息的采集、使用和公开符合规定                      是 / 否

六、应急管理
  17. 已制定信息安全事件应急预案                              是 / 否
  18. 本年度开展过应急演练，有记录                            是 / 否

问题与整改（填“否”的项目）：
  序号 | 问题描述 | 整改措施 | 责任人 | 完成时限
""",
    },
    "template-incident-report": {
        "title": "信息安全事件报告单",
        "filename": "security-incident-report.txt",
        "content": """信息安全事件报告单
报告单位：__________  报告人：__________  联系电话：__________
报告时间：____年__月__日__时__分

一、事件基本情况
  发现时间：____年__月__日__时__分
  发现人：__________  发现方式：本人发现 / 安全软件报警 / 上级通报 / 其他
  涉及设备：计算机 / 服务器 / 网站 / 业务系统 / 网络设备
  设备位置及使用人：__________
  IP 地址：__________  物理地址（MAC）：__________（可用 ipconfig /all 查看）

二、事件类型（可多选）
  [ ] 病毒、木马等恶意程序   [ ] 文件被加密勒索   [ ] 网站页面被篡改
  [ ] 账号口令被盗用         [ ] 数据泄露或疑似泄露 [ ] 网络中断或服务不可用
  [ ] 涉密信息违规上网       [ ] 其他：__________

三、事件现象描述
  （按时间顺序写明看到的现象、弹出的提示、发现人做过的操作）

四、已采取的措施
  [ ] 已断开网络（未关机）   [ ] 已通知技术人员   [ ] 已通知保密员
  [ ] 已保留可疑邮件、文件等证据  [ ] 其他：__________

五、影响评估
  受影响的业务：__________  是否涉及涉密信息或个人信息：是 / 否
  业务中断时间：__________

六、处置结果（处置完成后补充）
  原因分析：__________
  恢复情况：__________
  改进措施：__________

单位分管领导签字：__________
报送：市信息化工作办公室
""",
    },
    "guide-oa-quick-reference": {
        "title": "OA 公文办理速查卡",
        "filename": "oa-quick-reference.txt",
        "content": """OA 公文办理速查卡

【每天】
  上班后、下班前各查看一次“待办”；红色期限的优先办理
  出差、休假前设置代理人

【发文】拟稿 → 科室审核 → 办公室核稿 → 会签 → 领导签发 → 编号用印 → 分发 → 归档
  1. 拟稿：选对文种和模板，填写标题、主送机关、紧急程度
  2. 密级只能是“非涉密”；涉密公文不得在 OA 中办理
  3. 修改他人文稿打开“修订”（Word：Ctrl+Shift+E）
  4. 审核意见写明确：同意 / 退回，并写清修改要求
  5. 格式执行《党政机关公文格式》（GB/T 9704—2012），使用标准模板

【收文】签收 → 登记 → 初审拟办 → 领导批示 → 承办 → 传阅 → 催办 → 答复
  1. 纸质来文扫描后登记
  2. 承办人按批示办理，需要答复的及时起草复文
  3. 传阅件阅后点击“已阅”，有意见的写在意见栏

【15 种公文】
  决议、决定、命令（令）、公报、公告、通告、意见、通知、通报、报告、请示、批复、议案、函、纪要

【安全】
  不使用他人账号，不让他人代办
  数字证书（USB Key）本人保管，用完即拔
  公文不下载到个人电脑或 U 盘长期保存
  内部文件不通过互联网邮箱、聊天工具转发

【归档】
  办结公文连同附件、办理过程和审批意见一并归档
  检查文件齐全、著录信息完整后移交档案部门
""",
    },
    "template-resource-catalog": {
        "title": "政务信息资源目录登记表",
        "filename": "resource-catalog-entry.txt",
        "content": """政务信息资源目录登记表

提供部门：__________  责任科室：__________  联系人及电话：__________

一、资源基本信息
  资源名称：__________
  资源摘要（用一两句话说明包含什么信息、用于什么业务）：__________
  资源分类：基础信息 / 主题信息 / 部门业务信息
  关联基础库：人口 / 法人单位 / 空间地理和自然资源 / 宏观经济 / 无

二、数据项（字段）
  序号 | 数据项名称 | 数据类型 | 长度 | 说明 | 是否含个人信息
  1    |            |          |      |      | 是 / 否
  2    |            |          |      |      | 是 / 否

三、更新与提供方式
  更新周期：实时 / 每日 / 每周 / 每月 / 每季 / 每年 / 不定期
  提供方式：数据库表 / 文件下载 / 接口调用
  数据格式：__________
  数据起始时间：__________

四、共享属性（三选一）
  [ ] 无条件共享：可提供给所有政务部门
  [ ] 有条件共享：使用条件 __________；依据 __________
  [ ] 不予共享：法律法规依据 __________

五、开放属性
  [ ] 可向社会开放  [ ] 有条件开放  [ ] 不予开放

六、审核
  部门负责人意见：__________  签字：__________  日期：__________
  市信息化工作办公室意见：__________

注：一数一源——同一数据项只由一个责任部门采集和更新，其他部门通过交换平台复用。
""",
    },
    "template-service-guide": {
        "title": "网上办事指南编写模板",
        "filename": "service-guide-template.txt",
        "content": """网上办事指南编写模板

事项名称：__________（用群众熟悉的说法，如“职业资格考试报名”）
实施部门：__________  服务对象：公众 / 企业 / 两者
办理方式：全程网上办理 / 网上申报、窗口领取 / 窗口办理

一、设立依据
  列出法律、法规、规章名称及条款。

二、申请条件
  用通俗语言逐条写明谁可以申请、需要满足什么条件。

三、申请材料
  序号 | 材料名称 | 原件/复印件 | 份数 | 是否可通过共享获取 | 空白表格及样例
  写明哪些材料由部门通过交换平台获取，申请人无需提交。

四、办理流程
  1. 申请：网上提交或窗口提交
  2. 受理：____个工作日内决定是否受理，不予受理的说明理由
  3. 审查：__________
  4. 决定：__________
  5. 送达：邮寄 / 窗口领取 / 网上下载

五、办理时限
  法定时限：____个工作日；承诺时限：____个工作日

六、收费标准
  收费项目、标准及依据；不收费的写明“不收费”。

七、咨询和监督
  咨询电话：__________  办公地址：__________  办公时间：__________
  网上咨询入口：__________  投诉电话：__________

八、常见问题
  列出三到五个群众最常问的问题及答复。

编写人：__________  审核人：__________  更新日期：__________
""",
    },
    "checklist-website-content": {
        "title": "政府网站内容保障检查表",
        "filename": "website-content-checklist.txt",
        "content": """政府网站内容保障检查表
网站名称：__________  责任科室：__________  检查人：__________  检查月份：__________

【信息发布】
[ ] 1. 首页动态信息本月有更新
[ ] 2. 所有信息经过审核后发布，有审核记录
[ ] 3. 未发布涉密信息和未经批准的内部信息
[ ] 4. 政策文件变化后已同步更新，过期信息已下线或标注失效
[ ] 5. 依照《政府信息公开条例》应主动公开的信息已公开

【办事服务】
[ ] 6. 办事指南要素齐全：依据、条件、材料、流程、时限、收费、咨询方式
[ ] 7. 网上指南与窗口实际要求一致
[ ] 8. 表格可下载，并附填写样例
[ ] 9. 在线申报入口可用，办件查询结果准确

【互动回应】
[ ] 10. 本月留言、咨询均在承诺时限内答复
[ ] 11. 答复内容具体，没有只写“已收悉”的情况
[ ] 12. 对反映集中的问题已梳理并报业务科室

【可用性与安全】
[ ] 13. 无错链、断链、空白栏目
[ ] 14. 公开答复和公示材料已遮盖身份证号、手机号、住址等个人信息
[ ] 15. 网站账号口令符合要求，离职人员账号已注销
[ ] 16. 网站已做安全检测，发现的问题已整改

发现的问题及整改：
  序号 | 问题 | 整改措施 | 责任人 | 完成时限
""",
    },
    "template-project-proposal": {
        "title": "信息化项目立项申报要点",
        "filename": "project-proposal-guide.txt",
        "content": """信息化项目立项申报要点
（使用财政资金的电子政务和信息化项目，报市信息化工作办公室组织专家论证和评审）

一、项目概况
  项目名称、申报部门、项目负责人、建设周期、资金来源

二、建设需求（专家最关注“为什么要建”）
  1. 要解决的业务问题和服务对象
  2. 现状、存在的问题和差距（用数据说明）
  3. 是否对应国家、省重点业务系统，上级有何标准要求

三、与统一平台的关系（常见扣分项）
  1. 哪些功能使用统一平台和公共系统（OA、视频会议、身份认证等）
  2. 哪些数据从基础库或其他部门共享获取
  3. 本项目产生的数据如何登记目录、向其他部门共享
  4. 如需自建，说明不能复用的理由

四、建设内容和技术方案
  软件功能、硬件和网络需求、与其他系统的接口、安全保护等级及措施

五、投资估算（常见扣分项）
  1. 建设费用：软件、硬件、集成、监理、测评
  2. 运行费用：每年的运维、线路、软件服务和人员费用
  3. 测算依据

六、实施计划
  阶段划分、里程碑、采购方式、组织分工、外包或联合开发安排

七、绩效目标
  建成后可衡量的指标：使用人数、网上办理事项数、办理时限缩短、费用节省、共享数据量

八、风险和保障
  人员、技术、进度和安全风险及应对措施

自查：以上每一部分都能在申报书中找到对应内容和依据。
""",
    },
    "checklist-project-acceptance": {
        "title": "信息化项目验收检查清单",
        "filename": "project-acceptance-checklist.txt",
        "content": """信息化项目验收检查清单
项目名称：__________  建设部门：__________  承建单位：__________  监理单位：__________

【初步验收】
[ ] 1. 合同和需求规定的功能逐项测试通过，有测试记录
[ ] 2. 性能、并发和响应时间达到合同要求
[ ] 3. 与统一平台、身份认证、交换平台等接口联调通过
[ ] 4. 硬件设备数量、型号、配置与合同一致
[ ] 5. 用户培训已完成，有培训记录

【试运行】
[ ] 6. 在真实业务中试运行期满，有试运行报告
[ ] 7. 试运行中发现的问题已全部解决或有明确处理方案
[ ] 8. 用户使用意见已收集

【最终验收】
[ ] 9. 监理报告结论明确
[ ] 10. 安全测评已完成，按等级保护要求整改到位
[ ] 11. 技术文档齐全：需求说明、设计文档、测试报告、用户手册、运维手册
[ ] 12. 约定的源代码、账号口令、配置资料已移交
[ ] 13. 数据已登记资源目录，共享接口可用
[ ] 14. 运维责任和售后服务承诺已落实
[ ] 15. 项目资金使用与预算一致，有决算材料
[ ] 16. 项目档案已整理归档

【验收后绩效评价（运行满一年）】
[ ] 17. 实际使用人数和网上办理量达到绩效目标
[ ] 18. 办理时限缩短、费用节省等效益有数据支撑
[ ] 19. 与其他部门的数据共享已实际发生

验收结论：通过 / 整改后通过 / 不通过
验收组签字：__________  日期：__________
""",
    },
}
