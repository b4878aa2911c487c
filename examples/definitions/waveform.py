#!/usr/bin/env python3
"""Samples a periodic function into table.csv and draws it into plot.png, with the standard library only.

Run by the job type defined in waveform.json, in the job's working directory; every value arrives as its own
argument (no shell). The PNG is written by hand: an 8-bit grey image, zlib-compressed rows.
"""
import argparse
import csv
import math
import struct
import zlib

WIDTH, HEIGHT, MARGIN = 640, 320, 16


def sample(function, x):
    phase = x - math.floor(x)
    if function == "sine":
        return math.sin(2 * math.pi * x)
    if function == "square":
        return 1.0 if phase < 0.5 else -1.0
    return 4 * phase - 1 if phase < 0.5 else 3 - 4 * phase  # triangle


def png(pixels):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def draw(points, amplitude):
    pixels = [[255] * WIDTH for _ in range(HEIGHT)]
    for x in range(WIDTH):
        pixels[HEIGHT // 2][x] = 200  # the axis
    top = amplitude if amplitude > 0 else 1.0

    def to_pixel(i, y):
        px = MARGIN + round(i * (WIDTH - 2 * MARGIN - 1) / max(1, len(points) - 1))
        py = HEIGHT // 2 - round(y / top * (HEIGHT // 2 - MARGIN))
        return px, py

    previous = None
    for i, (_, y) in enumerate(points):
        px, py = to_pixel(i, y)
        if previous is not None:
            x0, y0 = previous
            steps = max(abs(px - x0), abs(py - y0), 1)
            for s in range(steps + 1):
                pixels[y0 + (py - y0) * s // steps][x0 + (px - x0) * s // steps] = 0
        previous = (px, py)
    return pixels


def main():
    a = argparse.ArgumentParser(description=__doc__)
    a.add_argument("--function", choices=["sine", "square", "triangle"], required=True)
    a.add_argument("--points", type=int, required=True)
    a.add_argument("--periods", type=float, required=True)
    a.add_argument("--amplitude", type=float, required=True)
    a.add_argument("--label", required=True)
    args = a.parse_args()
    points = []
    for i in range(args.points):
        x = args.periods * i / (args.points - 1)
        points.append((x, args.amplitude * sample(args.function, x)))
    with open("table.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["x", args.label])
        for x, y in points:
            w.writerow(["%.6f" % x, "%.6f" % y])
    with open("plot.png", "wb") as f:
        f.write(png(draw(points, args.amplitude)))
    print("wrote %d samples of %s to table.csv and plot.png" % (len(points), args.function))


if __name__ == "__main__":
    main()
