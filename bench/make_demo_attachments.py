"""Regenerate the binary attachments of the demo vault (vault/attachments/).

Run once by hand: `python bench/make_demo_attachments.py`. The output is deterministic
(no timestamps in PDF/SVG metadata), so rerunning it does not produce spurious diffs.
Figure labels are English-only so no CJK font is needed.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "vault" / "attachments"
plt.rcParams.update({"svg.hashsalt": "mathvault", "svg.fonttype": "none", "font.size": 9})
NO_DATE = {"CreationDate": None}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_png() -> None:
    z = np.linspace(-6, 6, 300)
    s = sigmoid(z)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(z, s, label="sigma(z)")
    ax.plot(z, s * (1 - s), label="sigma'(z) = sigma(1 - sigma)")
    ax.axhline(0.25, color="grey", lw=0.5)
    ax.legend(loc="center right")
    ax.set_xlabel("z")
    fig.tight_layout()
    fig.savefig(OUT / "sigmoid.png", dpi=80)
    plt.close(fig)


def activations_svg() -> None:
    z = np.linspace(-3, 3, 121)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(z, sigmoid(z), label="sigmoid")
    ax.plot(z, np.tanh(z), label="tanh")
    ax.plot(z, np.maximum(z, 0), label="ReLU")
    ax.set_ylim(-1.2, 3.1)
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(OUT / "activations.svg", metadata={"Date": None})
    plt.close(fig)


def gd_path_png() -> None:
    """Gradient descent on L(w) = (w - 3)^2 from w0 = 0 with eta = 0.25."""
    w = [0.0]
    for _ in range(6):
        w.append(w[-1] - 0.25 * 2 * (w[-1] - 3))
    ws = np.array(w)
    x = np.linspace(-0.5, 4.5, 200)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot(x, (x - 3) ** 2, label="L(w) = (w - 3)^2")
    ax.plot(ws, (ws - 3) ** 2, "o-", ms=4, label="w_t, eta = 0.25")
    ax.legend()
    ax.set_xlabel("w")
    fig.tight_layout()
    fig.savefig(OUT / "gd_path.png", dpi=80)
    plt.close(fig)


def slides_pdf() -> None:
    """Two-page PDF so that `#page=2` means something."""
    with PdfPages(OUT / "slides.pdf", metadata=NO_DATE) as pdf:
        fig = plt.figure(figsize=(4, 3))
        fig.text(0.5, 0.6, "Limits and Derivatives", ha="center", size=14)
        fig.text(0.5, 0.4, "mathvault demo slides", ha="center")
        pdf.savefig(fig)
        plt.close(fig)
        x = np.linspace(-10, 10, 400)
        x = x[x != 0]
        fig, ax = plt.subplots(figsize=(4, 3))
        ax.plot(x, np.sin(x) / x)
        ax.plot([0], [1], "o", mfc="white")
        ax.set_title("sin(x)/x -> 1 as x -> 0")
        pdf.savefig(fig)
        plt.close(fig)


def tone_wav(freq: float = 440.0, seconds: float = 0.5, rate: int = 8000) -> None:
    n = int(seconds * rate)
    frames = b"".join(
        struct.pack("<h", int(0.4 * 32767 * math.sin(2 * math.pi * freq * i / rate)))
        for i in range(n)
    )
    with wave.open(str(OUT / "tone.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # dev.png and partial_dev.png are generated at build time by the seed note's snippets.
    for make in (sigmoid_png, activations_svg, gd_path_png, slides_pdf, tone_wav):
        make()
    for p in sorted(OUT.iterdir()):
        print(f"{p.name:20} {p.stat().st_size:8d} bytes")


if __name__ == "__main__":
    main()
