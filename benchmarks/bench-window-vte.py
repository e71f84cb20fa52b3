#!/usr/bin/python3
# bench-window-vte.py: the peer of bench-window-troupe: VTE, GNOME's terminal widget
#
# A GTK 4 window holding one Vte.Terminal (unlimited scrollback, as Troupe keeps
# every line) runs the same line generator and is measured the same way:
# throughput from spawn until the terminal has shown the end, the main loop's
# longest stall (a highest-priority source notes when polling ends and when the
# next iteration begins), and paints of the window's frame clock while output
# flows, with the longest gap between two.
#
# Usage: bench-window-vte.py GENERATOR LINES
# Prints one line of KEY=VALUE pairs. Runs with Debian's python3-gi and
# gir1.2-vte-3.91, so it is started with /usr/bin/python3.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys

import gi

gi.require_version("Gtk", "4.0")
gi.require_version("Vte", "3.91")
from gi.repository import GLib, Gtk, Vte  # noqa: E402

LINE_BYTES = 80


class StallSource(GLib.Source):
    def __init__(self):
        super().__init__()
        self.last_check = 0
        self.longest = 0
        self.measuring = False

    def prepare(self):
        now = GLib.get_monotonic_time()
        if self.measuring and self.last_check:
            self.longest = max(self.longest, now - self.last_check)
        return False, -1

    def check(self):
        self.last_check = GLib.get_monotonic_time()
        return False


def main():
    if len(sys.argv) != 3:
        print("usage: bench-window-vte.py GENERATOR LINES", file=sys.stderr)
        return 2
    generator, lines = sys.argv[1], int(sys.argv[2])

    Gtk.init()
    window = Gtk.Window(default_width=1280, default_height=800)
    terminal = Vte.Terminal()
    terminal.set_scrollback_lines(-1)
    window.set_child(terminal)
    window.present()

    state = {"paints": 0, "last_paint": 0, "longest_gap": 0, "measuring": False,
             "exited": False, "status": None, "end_paint": None}

    def iterate_until(done):
        context = GLib.MainContext.default()
        while not done():
            context.iteration(True)

    def wait_ms(ms):
        flag = []
        GLib.timeout_add(ms, lambda: flag.append(1) and False)
        iterate_until(lambda: flag)

    wait_ms(500)

    def after_paint(clock):
        if not state["measuring"]:
            return
        now = GLib.get_monotonic_time()
        if state["last_paint"]:
            state["longest_gap"] = max(state["longest_gap"], now - state["last_paint"])
        state["last_paint"] = now
        state["paints"] += 1

    window.get_frame_clock().connect("after-paint", after_paint)

    stall = StallSource()
    stall.set_priority(GLib.PRIORITY_HIGH)
    stall.attach(None)

    def child_exited(term, status):
        state["exited"] = True
        state["status"] = status

    terminal.connect("child-exited", child_exited)

    stall.measuring = True
    state["measuring"] = True
    start = GLib.get_monotonic_time()
    terminal.spawn_async(Vte.PtyFlags.DEFAULT, None, [generator, str(lines)], None,
                         GLib.SpawnFlags.DEFAULT, None, None, -1, None, None)
    # VTE reports the child's exit once it has read the terminal to its end.
    iterate_until(lambda: state["exited"])
    paints = state["paints"]
    iterate_until(lambda: state["paints"] > paints)
    end = GLib.get_monotonic_time()
    stall.measuring = False
    state["measuring"] = False

    if state["status"] != 0:
        print(f"bench-window-vte: the generator ended with status {state['status']}",
              file=sys.stderr)
        return 1

    seconds = (end - start) / 1e6
    megabytes = lines * LINE_BYTES / 1e6
    print(f"mb={megabytes:.1f} seconds={seconds:.2f} mb_per_s={megabytes / seconds:.1f} "
          f"longest_stall_ms={stall.longest / 1000:.1f} fps={state['paints'] / seconds:.1f} "
          f"longest_frame_gap_ms={state['longest_gap'] / 1000:.1f}")
    stall.destroy()
    window.destroy()
    return 0


if __name__ == "__main__":
    sys.exit(main())
