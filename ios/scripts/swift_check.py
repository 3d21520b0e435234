#!/usr/bin/env python3
"""Checks Swift on a machine without a Swift toolchain (called by scripts/swift-check.sh).

  swift_check.py syntax DIR...             parse every hand-written .swift file under DIR with
                                           tree-sitter's Swift grammar; print each ERROR or
                                           MISSING node as file:line:column and fail if any
  swift_check.py selftest                  show that both checks can fail: a broken file must
                                           be reported, a changed API must differ
  swift_check.py api GENERATED SNAPSHOT [--update]
                                           extract the public API of the generated bindings
                                           (types, functions, properties, enum cases) in a
                                           normalised form and compare it with SNAPSHOT;
                                           fail with a unified diff when they differ

A parse is not a compile: types, names and overloads are checked by Xcode on the Mac CI.
"""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

try:
    import tree_sitter_swift
    from tree_sitter import Language, Parser, Node
except ImportError:  # pragma: no cover - swift-check.sh installs them first
    sys.exit("swift_check.py needs the PyPI packages tree-sitter and tree-sitter-swift (run scripts/swift-check.sh)")

PARSER = Parser(Language(tree_sitter_swift.language()))

# Folders under ios/ that hold no hand-written Swift: build output and SwiftPM's caches.
SKIP_DIRS = {"build", ".build", ".swiftpm", "DerivedData"}


def problems(node: Node, out: list[Node]) -> None:
    """Collects the outermost ERROR nodes and every MISSING node (a token the parser invented)."""
    if node.is_error or node.is_missing:
        out.append(node)
        return
    if node.has_error:
        for child in node.children:
            problems(child, out)


def syntax(dirs: list[str]) -> int:
    files = sorted(
        p for d in dirs for p in Path(d).rglob("*.swift") if not SKIP_DIRS.intersection(p.parts)
    )
    if not files:
        print("swift syntax: no .swift files found", file=sys.stderr)
        return 1
    bad = 0
    for path in files:
        tree = PARSER.parse(path.read_bytes())
        found: list[Node] = []
        problems(tree.root_node, found)
        for n in found:
            row, col = n.start_point
            what = f"MISSING {n.type}" if n.is_missing else "ERROR"
            text = n.text.decode("utf-8", "replace").split("\n")[0][:60] if n.text else ""
            print(f"{path}:{row + 1}:{col + 1}: {what}: {text!r}")
        bad += bool(found)
    print(f"swift syntax: {len(files)} files parsed, {bad} with errors")
    return 1 if bad else 0


# uniffi marks its plumbing (FfiConverter*, handles) as hidden from documentation with this
# block; the snapshot leaves those declarations out, as Xcode's documentation does.
DOC_PRIVATE = re.compile(r"#if swift\(>=5\.8\)\n[ \t]*@_documentation\(visibility: private\)\n[ \t]*#endif\n")

BODY_TYPES = {"class_body", "enum_class_body", "protocol_body", "function_body", "computed_property"}
MEMBER_TYPES = {
    "class_declaration", "protocol_declaration", "function_declaration", "init_declaration",
    "property_declaration", "typealias_declaration", "enum_entry", "protocol_function_declaration",
    "protocol_property_declaration", "subscript_declaration",
}


def visibility(node: Node) -> str | None:
    for child in node.children:
        if child.type == "modifiers":
            for m in child.children:
                if m.type == "visibility_modifier":
                    return m.text.decode()
    return None


def kind(node: Node) -> str:
    k = node.child_by_field_name("declaration_kind")
    return k.type if k is not None else node.type


def signature(node: Node, src: bytes) -> str:
    """The declaration up to its body or initial value, without comments, on one line."""
    end = node.end_byte
    for child in node.children:
        if child.type in BODY_TYPES or child.type == "=" and node.type == "property_declaration":
            end = child.start_byte
            break
    cuts: list[tuple[int, int]] = []

    def comments(n: Node) -> None:
        for c in n.children:
            if c.start_byte >= end:
                break
            if c.type in ("comment", "multiline_comment"):
                cuts.append((c.start_byte, c.end_byte))
            else:
                comments(c)

    comments(node)
    text, pos = b"", node.start_byte
    for a, b in cuts:
        text += src[pos:a] + b" "
        pos = b
    text += src[pos:end]
    s = re.sub(r"\s+", " ", text.decode()).strip()
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+([),])", r"\1", s)
    s = re.sub(r"\)(throws|async|rethrows)", r") \1", s)
    return s


def api(generated: str, snapshot: str, update: bool) -> int:
    text = Path(generated).read_text()
    hidden: set[int] = set()

    def blank(m: re.Match) -> str:
        hidden.add(text.count("\n", 0, m.end()))  # 0-based row of the declaration that follows
        return "\n" * m.group(0).count("\n")

    src = DOC_PRIVATE.sub(blank, text).encode()
    tree = PARSER.parse(src)

    lines: list[tuple[str, bool, str, list[str]]] = []
    broken: list[str] = []

    def members(container: Node, depth: int, implicit: bool, out: list[str]) -> None:
        body = next((c for c in container.children if c.type in BODY_TYPES), None)
        if body is None:
            return
        for m in body.children:
            if m.type in ("ERROR",) or m.is_missing:
                broken.append(f"{generated}:{m.start_point[0] + 1}: unparsed text inside a public type")
            if m.type not in MEMBER_TYPES or m.start_point[0] in hidden:
                continue
            vis = visibility(m)
            if not (implicit or vis in ("public", "open") or m.type == "enum_entry"):
                continue
            out.append("  " * depth + signature(m, src))
            if m.type == "class_declaration" or m.type == "protocol_declaration":
                members(m, depth + 1, m.type == "protocol_declaration", out)

    for node in tree.root_node.children:
        if node.is_error or node.is_missing:
            broken.append(f"{generated}:{node.start_point[0] + 1}: unparsed text at top level")
            continue
        if node.type not in MEMBER_TYPES or node.start_point[0] in hidden:
            continue
        vis = visibility(node)
        is_extension = kind(node) == "extension"
        if vis not in ("public", "open") and not is_extension:
            continue
        body: list[str] = []
        members(node, 1, node.type == "protocol_declaration", body)
        if is_extension and vis is None and not body and ":" not in signature(node, src):
            continue
        name = node.child_by_field_name("name") or next((c for c in node.children if c.type == "user_type"), node)
        lines.append((name.text.decode(), is_extension, signature(node, src), body))
    if broken:
        print("\n".join(broken), file=sys.stderr)
        print("swift api: the grammar could not read part of the public API; not comparing", file=sys.stderr)
        return 1

    # Declarations sorted (moving a Rust function between files is no API change);
    # members stay in source order (a record's field order is its initializer's).
    lines.sort(key=lambda entry: entry[:3])
    header = [
        "// The public Swift API of the generated BrobyggerCore bindings, normalised by",
        "// ios/scripts/swift_check.py. Update with: bash scripts/swift-check.sh --update-api",
    ]
    current = "\n".join(header + [x for _, _, decl, body in lines for x in [decl] + body]) + "\n"
    count = sum(1 + len(body) for *_, body in lines)

    path = Path(snapshot)
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(current)
        print(f"swift api: {count} declarations written to {snapshot}")
        return 0
    if not path.exists():
        print(f"swift api: {snapshot} is missing; create it with --update-api", file=sys.stderr)
        return 1
    old = path.read_text()
    if old == current:
        print(f"swift api: {count} declarations, unchanged")
        return 0
    diff = difflib.unified_diff(old.splitlines(), current.splitlines(), snapshot, "generated bindings", lineterm="")
    print("\n".join(diff))
    print(
        "swift api: the generated Swift API differs from the committed snapshot. If the change is "
        "meant, update the shell and run: bash scripts/swift-check.sh --update-api",
        file=sys.stderr,
    )
    return 1


def selftest() -> int:
    """The checks must be able to fail: a file with a syntax error is reported with its line,
    and a renamed function, a new enum case and a changed field type all change the API."""
    import contextlib
    import io
    import tempfile

    good = (
        "public struct Venue: Equatable {\n    public var name: String\n    public init(name: String) { self.name = name }\n}\n"
        "public enum Outcome: Equatable {\n    case attended\n    case noShow\n}\n"
        "#if swift(>=5.8)\n@_documentation(visibility: private)\n#endif\npublic struct FfiConverterTypeVenue {}\n"
        "public func venueLabel(venue: Venue) -> String { return venue.name }\n"
    )
    changes = [
        ("renamed function", good.replace("func venueLabel", "func venueName")),
        ("new enum case", good.replace("case noShow\n", "case noShow\n    case excused\n")),
        ("changed field type", good.replace("public var name: String", "public var name: String?")),
    ]
    failures = []
    quiet = contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO())
    with tempfile.TemporaryDirectory() as tmp, quiet[0], quiet[1]:
        root = Path(tmp)
        (root / "ok").mkdir()
        # (tree-sitter-swift cannot read an #if around an attribute, as uniffi writes it;
        # that is why only hand-written files are syntax-checked.)
        (root / "ok" / "Good.swift").write_text(DOC_PRIVATE.sub("", good))
        (root / "broken").mkdir()
        (root / "broken" / "Broken.swift").write_text("struct A {\n    func f( {\n}\n")
        if syntax([str(root / "ok")]) != 0:
            failures.append("a valid file was reported as broken")
        if syntax([str(root / "broken")]) == 0:
            failures.append("a broken file passed the syntax check")
        generated, snapshot = root / "Gen.swift", root / "Gen.api"
        generated.write_text(good)
        api(str(generated), str(snapshot), True)
        if api(str(generated), str(snapshot), False) != 0:
            failures.append("an unchanged API was reported as changed")
        if "FfiConverterTypeVenue" in snapshot.read_text():
            failures.append("a documentation-private declaration entered the snapshot")
        for what, text in changes:
            generated.write_text(text)
            if api(str(generated), str(snapshot), False) == 0:
                failures.append(f"a {what} passed the API check")
    for f in failures:
        print(f"swift selftest: {f}", file=sys.stderr)
    print(f"swift selftest: {2 + 2 + len(changes)} cases, {len(failures)} failed")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if argv == ["selftest"]:
        return selftest()
    if len(argv) >= 2 and argv[0] == "syntax":
        return syntax(argv[1:])
    if len(argv) in (3, 4) and argv[0] == "api" and argv[3:] in ([], ["--update"]):
        return api(argv[1], argv[2], argv[3:] == ["--update"])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
