"""The placeholder logo in the kop surat, drawn here so no outside image is shipped.

``python -m lindung.letters.logo`` rewrites ``assets/logo-placeholder.png``. A real office
uploads its own logo (the Letterhead model in the admin); this one only keeps the layout honest.
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
PLACEHOLDER = ASSETS / "logo-placeholder.png"


def draw(path: Path = PLACEHOLDER, size: int = 360) -> Path:
    from PIL import Image, ImageDraw  # Pillow: only needed to redraw the placeholder

    img = Image.new("RGBA", (size, int(size * 1.15)), (255, 255, 255, 0))
    d = ImageDraw.Draw(img)
    w, h = img.size
    m = size * 0.06
    shield = [
        (m, m),
        (w - m, m),
        (w - m, h * 0.55),
        (w / 2, h - m),
        (m, h * 0.55),
    ]
    d.polygon(shield, fill=(14, 99, 62), outline=(201, 162, 39), width=int(size * 0.04))
    inner = [(x * 0.8 + w * 0.1, y * 0.8 + h * 0.1) for x, y in shield]
    d.polygon(inner, outline=(201, 162, 39), width=int(size * 0.015))
    # a five-pointed star above two waves: a river province, drawn from plain geometry
    import math

    cx, cy, r = w / 2, h * 0.33, size * 0.16
    star = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.42
        a = -math.pi / 2 + i * math.pi / 5
        star.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    d.polygon(star, fill=(240, 200, 60))
    for k in range(2):
        y0 = h * (0.56 + 0.08 * k)
        pts = [
            (w * 0.22 + t * w * 0.56 / 40, y0 + math.sin(t / 40 * 4 * math.pi) * size * 0.025)
            for t in range(41)
        ]
        d.line(pts, fill=(120, 190, 230), width=int(size * 0.03))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    return path


if __name__ == "__main__":
    print(draw())
