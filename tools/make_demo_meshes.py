#!/usr/bin/env python3
"""Writes the demo's own meshes into resources/meshes/ (python3 standard library only).

  valve.ply  gate valve, ASCII PLY: body and flanges along the pipe (z axis), bonnet, stem and
             handwheel above it. The pipe centreline is the origin; units are metres (DN200 size).
  motor.stl  electric motor, binary STL: finned body along the shaft (x axis; the shaft sticks
             out towards -x), end shields, fan cover, terminal box on top, two feet. The shaft axis
             is the origin; the feet stand on y = -0.3.

Every part is a closed shell with counter-clockwise (outward) triangles. Run from anywhere:
    python3 tools/make_demo_meshes.py
"""
import math
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "meshes")


class Mesh:
    def __init__(self):
        self.vertices = []
        self.triangles = []

    def vertex(self, p):
        self.vertices.append(tuple(float(c) for c in p))
        return len(self.vertices) - 1

    def tri(self, a, b, c):
        self.triangles.append((a, b, c))

    def quad(self, a, b, c, d):  # counter-clockwise seen from outside
        self.tri(a, b, c)
        self.tri(a, c, d)


def frame(axis):
    """Maps (u, v, w) with w along the axis to (x, y, z), keeping a right-handed frame."""
    if axis == "x":
        return lambda u, v, w: (w, u, v)
    if axis == "y":
        return lambda u, v, w: (v, w, u)
    return lambda u, v, w: (u, v, w)


def cylinder(mesh, axis, centre, radius, w0, w1, segments=16):
    """Closed cylinder along axis through centre, from w0 to w1 along the axis."""
    to = frame(axis)

    def point(u, v, w):
        x, y, z = to(u, v, w)
        return (centre[0] + x, centre[1] + y, centre[2] + z)

    bottom, top = [], []
    for i in range(segments):
        a = 2 * math.pi * i / segments
        u, v = radius * math.cos(a), radius * math.sin(a)
        bottom.append(mesh.vertex(point(u, v, w0)))
        top.append(mesh.vertex(point(u, v, w1)))
    cb = mesh.vertex(point(0, 0, w0))
    ct = mesh.vertex(point(0, 0, w1))
    for i in range(segments):
        j = (i + 1) % segments
        mesh.quad(bottom[i], bottom[j], top[j], top[i])
        mesh.tri(ct, top[i], top[j])
        mesh.tri(cb, bottom[j], bottom[i])


def box(mesh, lo, hi, rotate_about_x=0.0):
    """Axis-aligned box from lo to hi, optionally rotated about the x axis through the origin."""
    c, s = math.cos(rotate_about_x), math.sin(rotate_about_x)

    def rot(p):
        x, y, z = p
        return (x, c * y - s * z, s * y + c * z)

    v = [mesh.vertex(rot((hi[0] if i & 1 else lo[0], hi[1] if i & 2 else lo[1], hi[2] if i & 4 else lo[2])))
         for i in range(8)]
    mesh.quad(v[0], v[2], v[3], v[1])  # z-
    mesh.quad(v[4], v[5], v[7], v[6])  # z+
    mesh.quad(v[0], v[4], v[6], v[2])  # x-
    mesh.quad(v[1], v[3], v[7], v[5])  # x+
    mesh.quad(v[0], v[1], v[5], v[4])  # y-
    mesh.quad(v[2], v[6], v[7], v[3])  # y+


def torus_y(mesh, centre, major, minor, segments=20, sides=6):
    """Torus in the xz plane (around the y axis)."""
    ring = []
    for i in range(segments):
        a = 2 * math.pi * i / segments
        row = []
        for k in range(sides):
            b = 2 * math.pi * k / sides
            r = major + minor * math.cos(b)
            row.append(mesh.vertex((centre[0] + r * math.cos(a), centre[1] + minor * math.sin(b),
                                    centre[2] - r * math.sin(a))))
        ring.append(row)
    for i in range(segments):
        for k in range(sides):
            i2, k2 = (i + 1) % segments, (k + 1) % sides
            mesh.quad(ring[i][k], ring[i2][k], ring[i2][k2], ring[i][k2])


def valve():
    m = Mesh()
    cylinder(m, "z", (0, 0, 0), 0.14, -0.20, 0.20)    # body
    cylinder(m, "z", (0, 0, 0), 0.20, -0.24, -0.20)   # inlet flange
    cylinder(m, "z", (0, 0, 0), 0.20, 0.20, 0.24)     # outlet flange
    cylinder(m, "y", (0, 0, 0), 0.09, 0.08, 0.42)     # bonnet
    cylinder(m, "y", (0, 0, 0), 0.12, 0.14, 0.18)     # bonnet flange
    cylinder(m, "y", (0, 0, 0), 0.02, 0.42, 0.60, 8)  # stem
    torus_y(m, (0, 0.58, 0), 0.17, 0.022)             # handwheel
    for angle in (0.0, math.pi / 2):                  # two spokes
        c, s = math.cos(angle), math.sin(angle)
        box_spoke(m, c, s)
    return m


def box_spoke(m, c, s):
    half, t = 0.16, 0.012
    corners = []
    for i in range(8):
        along = half if i & 1 else -half
        up = 0.58 + (t if i & 2 else -t)
        side = t if i & 4 else -t
        corners.append(m.vertex((along * c - side * s, up, along * s + side * c)))
    v = corners
    m.quad(v[0], v[2], v[3], v[1])
    m.quad(v[4], v[5], v[7], v[6])
    m.quad(v[0], v[4], v[6], v[2])
    m.quad(v[1], v[3], v[7], v[5])
    m.quad(v[0], v[1], v[5], v[4])
    m.quad(v[2], v[6], v[7], v[3])


def motor():
    m = Mesh()
    cylinder(m, "x", (0, 0, 0), 0.20, -0.30, 0.30, 24)   # stator housing
    fins = 16
    for i in range(fins):                                 # cooling fins, radial
        a = 2 * math.pi * (i + 0.5) / fins
        if abs(a - math.pi / 2) < 0.3 or abs(a - 3 * math.pi / 2) < 0.5:
            continue  # no fins under the terminal box or between the feet
        fin = Mesh()
        box(fin, (-0.27, 0.18, -0.008), (0.27, 0.245, 0.008))
        c, s = math.cos(a - math.pi / 2), math.sin(a - math.pi / 2)
        base = len(m.vertices)
        for x, y, z in fin.vertices:  # rotate the fin (built on +y) about the x axis
            m.vertex((x, c * y - s * z, s * y + c * z))
        m.triangles += [(base + a_, base + b_, base + c_) for a_, b_, c_ in fin.triangles]
    cylinder(m, "x", (0, 0, 0), 0.19, -0.36, -0.30, 24)  # drive-end shield
    cylinder(m, "x", (0, 0, 0), 0.19, 0.30, 0.34, 24)    # non-drive-end shield
    cylinder(m, "x", (0, 0, 0), 0.17, 0.34, 0.46, 24)    # fan cover
    cylinder(m, "x", (0, 0, 0), 0.035, -0.52, -0.36, 10)  # shaft
    box(m, (-0.11, 0.17, -0.11), (0.11, 0.33, 0.11))       # terminal box
    box(m, (-0.08, 0.33, -0.08), (0.08, 0.35, 0.08))       # its lid
    for x in (-0.2, 0.2):                                  # feet
        box(m, (x - 0.05, -0.30, -0.22), (x + 0.05, -0.14, 0.22))
    return m


def write_ply(mesh, path):
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("ply\nformat ascii 1.0\ncomment Twinworks demo mesh, tools/make_demo_meshes.py; units: metres\n")
        f.write("element vertex %d\nproperty float x\nproperty float y\nproperty float z\n" % len(mesh.vertices))
        f.write("element face %d\nproperty list uchar int vertex_indices\nend_header\n" % len(mesh.triangles))
        for v in mesh.vertices:
            f.write("%.5f %.5f %.5f\n" % v)
        for t in mesh.triangles:
            f.write("3 %d %d %d\n" % t)


def write_stl(mesh, path):
    with open(path, "wb") as f:
        header = b"Twinworks demo motor, tools/make_demo_meshes.py; units: metres"
        f.write(header.ljust(80, b" "))
        f.write(struct.pack("<I", len(mesh.triangles)))
        for a, b, c in mesh.triangles:
            pa, pb, pc = mesh.vertices[a], mesh.vertices[b], mesh.vertices[c]
            u = [pb[i] - pa[i] for i in range(3)]
            v = [pc[i] - pa[i] for i in range(3)]
            n = (u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0])
            length = math.sqrt(sum(x * x for x in n)) or 1.0
            f.write(struct.pack("<12fH", *(x / length for x in n), *pa, *pb, *pc, 0))


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, mesh, writer in (("valve.ply", valve(), write_ply), ("motor.stl", motor(), write_stl)):
        path = os.path.normpath(os.path.join(OUT, name))
        writer(mesh, path)
        lo = [min(v[i] for v in mesh.vertices) for i in range(3)]
        hi = [max(v[i] for v in mesh.vertices) for i in range(3)]
        print("%s: %d triangles, bounds %s .. %s" % (path, len(mesh.triangles),
                                                      ["%.2f" % x for x in lo], ["%.2f" % x for x in hi]))


if __name__ == "__main__":
    main()
