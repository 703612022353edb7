#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A one-page PDF whose page takes poppler a long time to draw, in a few
kilobytes: the page draws form XObject X N times, X draws form Y 100
times, and Y holds 2000 tiny filled rectangles, so the page is N x 200000
path operations (20 million by default: several seconds of CPU for
poppler, pdftoppm as much).  Nothing in it is malformed.

usage: mkslowpdf.py OUT.pdf [N]   (default 100)
"""
import sys
import zlib


def stream(dict_extra, data):
	z = zlib.compress(data, 9)
	return (b"<< %s /Length %d /Filter /FlateDecode >>\nstream\n" % (dict_extra, len(z)) + z +
	        b"\nendstream")


def main():
	out_path = sys.argv[1]
	n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
	rects = b"".join(b"%d %d 1 1 re f\n" % (i % 500, (i // 500) * 3) for i in range(2000))
	form = b"/Type /XObject /Subtype /Form /BBox [0 0 595 842]"
	objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
	        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
	        b" /Resources << /XObject << /X 5 0 R >> >> >>",
	        stream(b"", b"/X Do\n" * n),
	        stream(form + b" /Resources << /XObject << /Y 6 0 R >> >>", b"/Y Do\n" * 100),
	        stream(form, rects)]
	out = bytearray(b"%PDF-1.4\n")
	offs = []
	for i, o in enumerate(objs):
		offs.append(len(out))
		out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
	xref = len(out)
	out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
	for o in offs:
		out += b"%010d 00000 n \n" % o
	out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
	with open(out_path, "wb") as f:
		f.write(out)


if __name__ == "__main__":
	main()
