"""Draw the emulator's keyframe JPEGs (one per sample moment, plus one for other uploads).

Run once after changing samples/corpus.json; the .jpg files are shipped in the package, so the
emulator itself needs no imaging library. Needs Pillow: ``python scripts/make_keyframes.py``.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

SAMPLES = Path(__file__).resolve().parent.parent / "memories_integrations/testing/samples"
OUT = SAMPLES / "keyframes"
SIZE = (160, 90)


def colour(seed: str) -> tuple[int, int, int]:
    # Deterministic per video and moment, so regenerating gives the same bytes.
    h = zlib.crc32(seed.encode())
    return (64 + h % 160, 64 + (h >> 8) % 160, 64 + (h >> 16) % 160)


def draw(path: Path, title: str, label: str) -> None:
    image = Image.new("RGB", SIZE, colour(title + label))
    pen = ImageDraw.Draw(image)
    pen.rectangle((4, 4, SIZE[0] - 5, SIZE[1] - 5), outline=(255, 255, 255), width=2)
    pen.text((10, 12), title[:24], fill=(255, 255, 255))
    pen.text((10, 60), label, fill=(255, 255, 255))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=70)


def main() -> None:
    corpus = json.loads((SAMPLES / "corpus.json").read_text(encoding="utf-8"))
    for sample in corpus["samples"]:
        stem = sample["file"].rsplit(".", 1)[0]
        starts = sorted({int(s["start"]) for s in (*sample["visual"], *sample["audio"])})
        for start in starts:
            draw(OUT / stem / f"{start}.jpg", sample["title"], f"{stem} @ {start} s")
    draw(OUT / "generic.jpg", "memories.ai emulator", "keyframe")
    print(f"wrote keyframes under {OUT}")


if __name__ == "__main__":
    main()
