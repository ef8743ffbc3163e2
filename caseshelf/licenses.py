"""Licenses an article may carry, by SPDX id: the name shown to readers and the legal text's URL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class License:
    spdx_id: str
    name: str
    url: str


def _cc(spdx_id: str, code: str, version: str, words: str) -> License:
    return License(
        spdx_id,
        f"Creative Commons {words} {version} License",
        f"https://creativecommons.org/licenses/{code}/{version}/",
    )


LICENSES: dict[str, License] = {
    lic.spdx_id: lic
    for lic in (
        _cc("CC-BY-4.0", "by", "4.0", "Attribution"),
        _cc("CC-BY-SA-4.0", "by-sa", "4.0", "Attribution-ShareAlike"),
        _cc("CC-BY-NC-4.0", "by-nc", "4.0", "Attribution-NonCommercial"),
        _cc("CC-BY-NC-SA-4.0", "by-nc-sa", "4.0", "Attribution-NonCommercial-ShareAlike"),
        _cc("CC-BY-ND-4.0", "by-nd", "4.0", "Attribution-NoDerivatives"),
        _cc("CC-BY-NC-ND-4.0", "by-nc-nd", "4.0", "Attribution-NonCommercial-NoDerivatives"),
        _cc("CC-BY-3.0", "by", "3.0", "Attribution"),
        _cc("CC-BY-NC-3.0", "by-nc", "3.0", "Attribution-NonCommercial"),
        _cc("CC-BY-NC-ND-3.0", "by-nc-nd", "3.0", "Attribution-NonCommercial-NoDerivatives"),
        _cc("CC-BY-2.0", "by", "2.0", "Attribution"),
        _cc("CC-BY-2.5", "by", "2.5", "Attribution"),
        *(
            _cc(f"CC-{code.upper()}-{version}", code, version, words)
            for code, words in (
                ("by-sa", "Attribution-ShareAlike"),
                ("by-nd", "Attribution-NoDerivatives"),
                ("by-nc", "Attribution-NonCommercial"),
                ("by-nc-sa", "Attribution-NonCommercial-ShareAlike"),
                ("by-nc-nd", "Attribution-NonCommercial-NoDerivatives"),
            )
            for version in ("2.0", "2.5", "3.0")
        ),
        License("CC0-1.0", "CC0 1.0 Universal Public Domain Dedication", "https://creativecommons.org/publicdomain/zero/1.0/"),
    )
}
