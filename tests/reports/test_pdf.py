"""The render child's stack offset: how deep a render starts, and when it moves."""

from __future__ import annotations

import itertools
import sys

from advisor.reports.pdf import STACK_OFFSETS, THRASHING_FAULTS, RenderJob, StackOffset, at_depth

JOB = RenderJob(html="<p>x</p>", base_url=None, allowed_roots=())


def _depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_at_depth_calls_the_function_that_many_frames_deeper() -> None:
    depths = {}
    for frames in (0, 1, 160):

        def record(job: RenderJob, frames: int = frames) -> bytes:
            assert job is JOB
            depths[frames] = _depth()
            return b"%PDF"

        assert at_depth(frames, record, JOB) == b"%PDF"
    assert depths[1] - depths[0] == 1
    assert depths[160] - depths[0] == 160


def test_one_render_that_faults_many_pages_does_not_move_the_offset() -> None:
    # New fonts, a logo or a longer report fault pages in once.
    offset = StackOffset()
    offset.record(THRASHING_FAULTS * 3)
    offset.record(THRASHING_FAULTS // 2)
    offset.record(THRASHING_FAULTS * 3)
    assert offset.frames == STACK_OFFSETS[0]


def test_two_thrashing_renders_in_a_row_move_to_the_next_offset_and_wrap_around() -> None:
    offset = StackOffset((160, 184, 208))
    seen = [offset.frames]
    for _ in range(3):
        offset.record(THRASHING_FAULTS + 1)
        offset.record(THRASHING_FAULTS + 1)
        seen.append(offset.frames)
    assert seen == [160, 184, 208, 160]


def test_a_render_at_a_good_depth_keeps_the_offset() -> None:
    offset = StackOffset()
    for _ in range(10):
        offset.record(THRASHING_FAULTS)  # at the threshold is not thrashing
    assert offset.frames == STACK_OFFSETS[0]


def test_the_offsets_sweep_a_chunk_and_stay_inside_the_recursion_limit() -> None:
    # A chunk's edge comes back every ~120 frames of at_depth: wherever the
    # busy depths moved, one offset is within 24 frames of any position.
    assert all(b - a <= 24 for a, b in itertools.pairwise(STACK_OFFSETS))
    assert STACK_OFFSETS[-1] - STACK_OFFSETS[0] + 24 >= 120
    assert max(STACK_OFFSETS) + 200 < sys.getrecursionlimit()
