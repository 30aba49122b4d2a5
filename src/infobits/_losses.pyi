"""Type stubs for the compiled loss kernels (infobits._losses)."""
import numpy as np
import numpy.typing as npt

LOSS_CE: int
LOSS_NLL: int
LOSS_FOCAL: int
IN_LOGITS: int
IN_PROBS: int
IN_LOGPROBS: int

class LabelError(IndexError):
    """A class label outside [0, K); ``args[1]`` is the offending row."""

class ProbabilityError(ValueError):
    """A probability read by the loss outside [0, 1]; ``args[1]`` is its row."""

def loss_f64(
    kind: int,
    mode: int,
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64] | None,
    t: npt.NDArray[np.float64] | None,
    w: npt.NDArray[np.float64] | None,
    wsum: float,
    has_ignore: bool,
    ignore: int,
    eps: float,
    gamma: float,
    alpha: float,
    alpha_v: npt.NDArray[np.float64] | None,
    gscale: float,
    g: npt.NDArray[np.float64] | None,
    rows: npt.NDArray[np.float64] | None,
) -> tuple[float, int, bool]: ...
def loss_f32(
    kind: int,
    mode: int,
    x: npt.NDArray[np.float32],
    y: npt.NDArray[np.int64] | None,
    t: npt.NDArray[np.float32] | None,
    w: npt.NDArray[np.float64] | None,
    wsum: float,
    has_ignore: bool,
    ignore: int,
    eps: float,
    gamma: float,
    alpha: float,
    alpha_v: npt.NDArray[np.float64] | None,
    gscale: float,
    g: npt.NDArray[np.float32] | None,
    rows: npt.NDArray[np.float64] | None,
) -> tuple[float, int, bool]: ...
def label_denominator(
    K: int,
    y: npt.NDArray[np.int64],
    w: npt.NDArray[np.float64] | None,
    has_ignore: bool,
    ignore: int,
) -> tuple[float, int]: ...
def _simd_levels() -> list[str]: ...
def _get_simd_level() -> str: ...
def _set_simd_level(name: str) -> None: ...
def _openmp_enabled() -> bool: ...
def _set_num_threads(n: int) -> None: ...
def _max_threads() -> int: ...
def _set_adapt(on: bool) -> None: ...
def _get_adapt() -> bool: ...
def ce_logits_mean(x_: object, y_: object, want_grad: bool) -> object: ...
