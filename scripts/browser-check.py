#!/usr/bin/env python3
"""Open ClusterSim HTML reports in headless Chromium and check them (used by scripts/test-report.sh).

For each page given it: loads the file, fails on any uncaught exception, console error or log
error; checks that every <section data-chart> has drawn SVG shapes (a non-zero bounding box on
screen); clicks the Gantt's zoom-in button and checks that the axis was redrawn (and, at 16x, that a
pause widened to be seen is its true width, or 1.5 px if that is less, not 16 times 1.5 px); hovers a shape
with a tooltip and checks the tooltip shows; saves a full-page screenshot (PNG) and a PDF of the
printed page into the output folder. Exit status 0 when every page passes, 1 otherwise.

It speaks the Chrome DevTools Protocol over a WebSocket written with the standard library only
(RFC 6455: client frames masked, no extensions), so it needs nothing beyond Python 3 and Chromium.

usage: browser-check.py CHROMIUM OUTDIR PAGE.html [PAGE.html ...] [--sections]
  --sections   also save one PNG per section (used to make the screenshots in docs/)
"""

import base64
import json
import os
import pathlib
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

TIMEOUT_SECONDS = 60


class WebSocket:
    """A minimal RFC 6455 client: text frames out (masked), text frames in, ping answered."""

    def __init__(self, url):
        assert url.startswith("ws://"), url
        host_port, _, path = url[len("ws://"):].partition("/")
        host, _, port = host_port.partition(":")
        self.sock = socket.create_connection((host, int(port)), timeout=TIMEOUT_SECONDS)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("WebSocket handshake: connection closed")
            response += chunk
        head, _, self.buffer = response.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError("WebSocket handshake refused: " + head.split(b"\r\n")[0].decode())

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(max(65536, count - len(self.buffer)))
            if not chunk:
                raise RuntimeError("WebSocket closed by Chromium")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def _send_frame(self, opcode, payload):
        header = bytes([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header += bytes([0x80 | length])
        elif length < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text):
        self._send_frame(0x1, text.encode())

    def receive(self):
        message = b""
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            payload = self._read(length)
            if opcode == 0x9:  # ping
                self._send_frame(0xA, payload)
                continue
            if opcode == 0x8:
                raise RuntimeError("WebSocket closed by Chromium")
            message += payload
            if first & 0x80:
                return message.decode()


class DevTools:
    """Commands and events on one page target."""

    def __init__(self, url):
        self.ws = WebSocket(url)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.time() + TIMEOUT_SECONDS
        while True:
            if time.time() > deadline:
                raise RuntimeError(f"{method}: no answer in {TIMEOUT_SECONDS} s")
            message = json.loads(self.ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method):
        deadline = time.time() + TIMEOUT_SECONDS
        while time.time() < deadline:
            for event in self.events:
                if event["method"] == method:
                    return event
            message = json.loads(self.ws.receive())
            if "method" in message:
                self.events.append(message)
        raise RuntimeError(f"timed out waiting for {method}")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError("evaluation failed: " + json.dumps(result["exceptionDetails"])[:400])
        return result["result"].get("value")


# Run in the page: for each charted section, the number of SVG shapes drawn with a non-zero box.
SECTIONS_DRAWN = """
Array.from(document.querySelectorAll("section[data-chart]")).map(function (section) {
  var shapes = section.querySelectorAll("svg rect, svg line, svg circle, svg polyline, svg path");
  var drawn = 0;
  shapes.forEach(function (shape) {
    var box = shape.getBoundingClientRect();
    if (box.width > 0 || box.height > 0) drawn += 1;
  });
  return { id: section.id, chart: section.dataset.chart, shapes: shapes.length, drawn: drawn };
})
"""

# Click the first zoom-in button; return the Gantt axis's first tick label before and after.
ZOOM = """
(function () {
  var controls = document.querySelector(".zoom[data-for]");
  if (!controls) return null;
  var svg = document.getElementById(controls.dataset.for);
  var labels = function () {
    return Array.from(svg.querySelectorAll(".gantt-axis text")).map(function (t) { return t.textContent; });
  };
  var before = labels();
  var zoomIn = controls.querySelector("[data-zoom=in]");
  zoomIn.click();
  var after = labels();
  var state = controls.querySelector(".zoom-state").textContent;
  // A pause drawn wider than its hours (data-w) stays about 1.5 px on screen at 16x.
  zoomIn.click(); zoomIn.click(); zoomIn.click();
  var pause = svg.querySelector(".gantt-zoom [data-w]");
  var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  var pauseWidth = pause ? pause.getBoundingClientRect().width : null;
  var pauseWant = pause ? Math.max(1.5, +pause.dataset.w * 16) * scale : null;
  controls.querySelector("[data-zoom=reset]").click();
  return { before: before, after: after, state: state, pauseWidth: pauseWidth, pauseWant: pauseWant,
           transform: svg.querySelector(".gantt-zoom").getAttribute("transform") };
})()
"""

# Move the mouse over the first shape with a tooltip; return the tooltip's text and display.
HOVER_TARGET = """
(function () {
  var shape = document.querySelector("section [data-tip]");
  if (!shape) return null;
  shape.scrollIntoView({ block: "center" });
  var box = shape.getBoundingClientRect();
  return { x: box.left + box.width / 2, y: box.top + box.height / 2, tip: shape.dataset.tip };
})()
"""


def start_chromium(chromium, profile):
    # --no-sandbox: the sandbox will not start as root (as in a CI container);
    # --disable-dev-shm-usage: containers often give /dev/shm only 64 MB.
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
               "--no-default-browser-check", "--hide-scrollbars", "--mute-audio",
               "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1280,900",
               "about:blank"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + TIMEOUT_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited at start with status {process.returncode}")
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if len(lines) >= 2:
                return process, int(lines[0])
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("chromium did not open its DevTools port")


def page_target(port):
    deadline = time.time() + TIMEOUT_SECONDS
    while time.time() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            targets = json.load(response)
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.1)
    raise RuntimeError("chromium opened no page")


def problems_in(events):
    found = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text")
            found.append(f"uncaught exception: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            found.append(f"console.{params['type']}: {text}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            found.append(f"log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
    return found


def save(path, data_base64):
    with open(path, "wb") as file:
        file.write(base64.b64decode(data_base64))


def check_page(tools, page, outdir, sections):
    name = os.path.splitext(os.path.basename(page))[0]
    failures = []
    tools.events.clear()
    tools.call("Page.navigate", url=pathlib.Path(page).resolve().as_uri())
    tools.wait_for("Page.loadEventFired")
    tools.evaluate("new Promise(function (done) { requestAnimationFrame(function () { setTimeout(done, 100); }); })")

    drawn = tools.evaluate(SECTIONS_DRAWN)
    if not drawn:
        failures.append("no section[data-chart] in the page")
    for section in drawn or []:
        if section["drawn"] == 0:
            failures.append(f"section #{section['id']} ({section['chart']}) has no drawn SVG shape "
                            f"({section['shapes']} shapes, all with an empty box)")
    summary = ", ".join(f"{s['id']} {s['drawn']}" for s in drawn or [])

    zoom = tools.evaluate(ZOOM)
    if zoom is not None:
        if zoom["before"] == zoom["after"] or not zoom["state"]:
            failures.append(f"zooming the Gantt did not redraw its axis: {json.dumps(zoom)[:300]}")
        if zoom["pauseWidth"] is not None and abs(zoom["pauseWidth"] - zoom["pauseWant"]) > 0.5:
            failures.append(f"a restart or repair wait is {zoom['pauseWidth']:.2f} px wide at 16x; "
                            f"want {zoom['pauseWant']:.2f} (its hours, or 1.5 px if less)")

    target = tools.evaluate(HOVER_TARGET)
    if target is not None:
        tools.call("Input.dispatchMouseEvent", type="mouseMoved", x=target["x"], y=target["y"])
        shown = tools.evaluate("(function () { var t = document.querySelector('.tip');"
                               " return t ? { display: t.style.display, text: t.textContent } : null; })()")
        if not shown or shown["display"] != "block" or shown["text"] != target["tip"]:
            failures.append(f"hovering a chart shape did not show its tooltip: {json.dumps(shown)[:200]}")
        tools.call("Input.dispatchMouseEvent", type="mouseMoved", x=1, y=1)
    tools.evaluate("window.scrollTo(0, 0)")

    metrics = tools.call("Page.getLayoutMetrics")
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                      clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
    save(os.path.join(outdir, f"{name}.png"), shot["data"])
    if sections:
        boxes = tools.evaluate("Array.from(document.querySelectorAll('header, section')).map(function (s) {"
                               " var b = s.getBoundingClientRect(); return { id: s.id || 'header',"
                               " x: b.left + scrollX, y: b.top + scrollY, width: b.width, height: b.height }; })")
        for box in boxes:
            clip = {"x": max(0, box["x"] - 8), "y": max(0, box["y"] - 8), "width": box["width"] + 16,
                    "height": box["height"] + 16, "scale": 1}
            part = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True, clip=clip)
            save(os.path.join(outdir, f"{name}-{box['id']}.png"), part["data"])
    pdf = tools.call("Page.printToPDF", printBackground=True, preferCSSPageSize=False)
    save(os.path.join(outdir, f"{name}.pdf"), pdf["data"])

    failures.extend(problems_in(tools.events))
    return failures, summary


def main(argv):
    sections = "--sections" in argv
    argv = [a for a in argv if a != "--sections"]
    if len(argv) < 3:
        print(next(line for line in __doc__.splitlines() if line.startswith("usage:")), file=sys.stderr)
        return 2
    chromium, outdir, pages = argv[0], argv[1], argv[2:]
    os.makedirs(outdir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="clustersim-chromium-")
    process = None
    status = 0
    try:
        process, port = start_chromium(chromium, profile)
        tools = DevTools(page_target(port))
        for domain in ("Page", "Runtime", "Log"):
            tools.call(f"{domain}.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1,
                   mobile=False)
        for page in pages:
            failures, summary = check_page(tools, page, outdir, sections)
            if failures:
                status = 1
                print(f"FAIL {page}:")
                for failure in failures:
                    print(f"  {failure}")
            else:
                print(f"ok   {page} (drawn shapes per section: {summary})")
    except (RuntimeError, OSError) as error:
        print(f"browser-check: {error}", file=sys.stderr)
        status = 1
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
