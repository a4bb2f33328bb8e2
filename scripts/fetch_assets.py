#!/usr/bin/env python3
"""Fetch the vendored front-end files listed in scripts/assets.json.

Parvis serves every JavaScript file itself: nothing is loaded from a CDN and
nothing is fetched at run time. The files under parvis/static/vendor/ are
committed; this script re-creates them from the npm registry and proves they
are the published ones:

1. read the version's metadata (https://registry.npmjs.org/<pkg>/<version>),
2. download https://registry.npmjs.org/<pkg>/-/<name>-<version>.tgz and check
   it against the metadata's ``dist.integrity`` (sha512, Subresource Integrity
   format),
3. extract the one file named in assets.json and check its sha256 against the
   hash recorded there, then write it under parvis/static/vendor/.

Usage:
    python scripts/fetch_assets.py            # fetch, verify, write
    python scripts/fetch_assets.py --update   # same, but record new sha256s
    python scripts/fetch_assets.py --verify   # offline: check committed files
    python scripts/fetch_assets.py --outdated # list newer releases, same major

Standard library only.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "scripts" / "assets.json"
VENDOR = ROOT / "parvis" / "static" / "vendor"
TIMEOUT = 60


def _get(url: str) -> bytes:
    if not url.startswith("https://"):
        raise SystemExit(f"refusing non-https URL {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "parvis-fetch-assets"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        data: bytes = response.read()
    return data


def _registry(manifest: dict[str, Any]) -> str:
    registry = str(manifest.get("registry", "https://registry.npmjs.org")).rstrip("/")
    if not registry.startswith("https://"):
        raise SystemExit(f"refusing non-https registry {registry!r}")
    return registry


def _quoted(package: str) -> str:
    # Scoped packages (@scope/name) keep their slash encoded in metadata URLs.
    return urllib.parse.quote(package, safe="@")


def check_integrity(data: bytes, integrity: str) -> None:
    """Check ``data`` against an SRI string such as ``sha512-<base64>``."""
    for item in integrity.split():
        algorithm, _, expected = item.partition("-")
        if algorithm == "sha512":
            actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
            if actual != expected:
                raise SystemExit(f"integrity mismatch: expected {expected}, got {actual}")
            return
    raise SystemExit(f"no sha512 in dist.integrity {integrity!r}")


def extract(data: bytes, member: str) -> bytes:
    """Return ``member`` (path inside the package, e.g. dist/htmx.min.js)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for info in tar.getmembers():
            # npm tarballs put everything under one top folder, usually "package/".
            _, _, inner = info.name.partition("/")
            if inner == member and info.isfile():
                handle = tar.extractfile(info)
                assert handle is not None
                return handle.read()
    raise SystemExit(f"{member} not found in tarball")


def fetch(manifest: dict[str, Any], asset: dict[str, Any], update: bool) -> bool:
    registry = _registry(manifest)
    package, version = asset["package"], asset["version"]
    name = package.rsplit("/", 1)[-1]
    meta = json.loads(_get(f"{registry}/{_quoted(package)}/{version}"))
    if meta.get("version") != version:
        raise SystemExit(f"{package}: registry answered version {meta.get('version')!r}")
    integrity = meta["dist"]["integrity"]
    if asset.get("integrity") and asset["integrity"] != integrity and not update:
        # A published version's tarball never changes; a different digest means
        # the registry (or something in between) is not serving what we pinned.
        print(
            f"FAIL {package}@{version}: registry integrity {integrity} != pinned", file=sys.stderr
        )
        return False
    tarball = _get(f"{registry}/{package}/-/{name}-{version}.tgz")
    check_integrity(tarball, integrity)
    content = extract(tarball, asset["file"])
    digest = hashlib.sha256(content).hexdigest()
    dest = VENDOR / asset["dest"]
    if digest != asset.get("sha256"):
        if not update:
            print(
                f"FAIL {package}@{version} {asset['file']}: sha256 {digest} "
                f"!= recorded {asset.get('sha256')} (use --update if the version changed)",
                file=sys.stderr,
            )
            return False
        asset["sha256"] = digest
    asset["integrity"] = integrity
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(content)
    print(f"ok   {package}@{version} -> {dest.relative_to(ROOT)} sha256={digest}")
    return True


def verify_local(asset: dict[str, Any]) -> bool:
    dest = VENDOR / asset["dest"]
    if not dest.is_file():
        print(f"FAIL {dest.relative_to(ROOT)} is missing", file=sys.stderr)
        return False
    digest = hashlib.sha256(dest.read_bytes()).hexdigest()
    if digest != asset["sha256"]:
        print(
            f"FAIL {dest.relative_to(ROOT)}: sha256 {digest} != {asset['sha256']}", file=sys.stderr
        )
        return False
    print(f"ok   {dest.relative_to(ROOT)} ({asset['package']}@{asset['version']})")
    return True


def _version_key(version: str) -> tuple[int, ...] | None:
    parts = version.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None  # pre-releases and odd tags are never proposed
    return tuple(int(p) for p in parts)


def outdated(manifest: dict[str, Any], asset: dict[str, Any]) -> None:
    registry = _registry(manifest)
    package, version = asset["package"], asset["version"]
    meta = json.loads(_get(f"{registry}/{_quoted(package)}"))
    current = _version_key(version)
    assert current is not None
    same_major = [
        key for v in meta["versions"] if (key := _version_key(v)) and key[0] == current[0]
    ]
    newest = ".".join(map(str, max(same_major)))
    state = "up to date" if newest == version else f"newer: {newest}"
    print(f"{package}@{version}: {state} (dist-tags: {meta.get('dist-tags', {})})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="record new sha256 hashes")
    mode.add_argument("--verify", action="store_true", help="offline check of committed files")
    mode.add_argument("--outdated", action="store_true", help="list newer releases, same major")
    args = parser.parse_args(argv)

    manifest = json.loads(MANIFEST.read_text())
    ok = True
    for asset in manifest["assets"]:
        if args.verify:
            ok = verify_local(asset) and ok
        elif args.outdated:
            outdated(manifest, asset)
        else:
            ok = fetch(manifest, asset, update=args.update) and ok
    if args.update and ok:
        MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        print(f"recorded hashes in {MANIFEST.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
