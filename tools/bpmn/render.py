"""Draws .bpmn files (processes/*.bpmn: the only source of the flows) to PNG with bpmn-js in headless Chromium.

Needs: chromium (Debian package) and bpmn-js from npm in a folder given by BPMN_JS_DIR (default /work/render,
where `npm install bpmn-js@17` was run). Usage: python3 tools/bpmn/render.py processes/x.bpmn [...] -> docs/images/x.png
"""
import json, os, re, subprocess, sys, tempfile

BPMN_JS = os.environ.get('BPMN_JS_DIR', '/work/render') + '/node_modules/bpmn-js/dist'
OUT = os.environ.get('OUT_DIR', 'docs/images')

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://%(js)s/assets/diagram-js.css">
<link rel="stylesheet" href="file://%(js)s/assets/bpmn-js.css">
<link rel="stylesheet" href="file://%(js)s/assets/bpmn-font/css/bpmn.css">
<style>html,body,#c{margin:0;width:100%%;height:100%%;background:#fff}</style></head>
<body><div id="c"></div><script src="file://%(js)s/bpmn-viewer.development.js"></script>
<script>
const viewer = new BpmnJS({container: '#c'});
viewer.importXML(%(xml)s).then(result => {
  viewer.get('canvas').zoom('fit-viewport');
  // what would not import cleanly (in Modeler or Cockpit either) is written over the image, in red
  if (result.warnings.length) {
    const pre = document.createElement('pre');
    pre.style.cssText = 'position:absolute;margin:8px;color:#c00';
    pre.textContent = result.warnings.map(w => w.message).join('\\n');
    document.body.prepend(pre);
  }
  document.title = 'done';
})
  .catch(e => { document.body.innerText = 'ERROR ' + e; });
</script></body></html>"""


def size(xml):
    xs, ys = [], []
    for m in re.finditer(r'<dc:Bounds x="(-?\d+)" y="(-?\d+)" width="(\d+)" height="(\d+)"', xml):
        x, y, w, h = map(int, m.groups())
        xs += [x, x + w]; ys += [y, y + h]
    for m in re.finditer(r'<di:waypoint x="(-?\d+)" y="(-?\d+)"', xml):
        xs.append(int(m.group(1))); ys.append(int(m.group(2)))
    return max(xs) - min(xs) + 80, max(ys) - min(ys) + 80


for path in sys.argv[1:]:
    xml = open(path).read()
    w, h = size(xml)
    with tempfile.NamedTemporaryFile('w', suffix='.html', delete=False) as page:
        page.write(PAGE % {'js': BPMN_JS, 'xml': json.dumps(xml)})
    os.makedirs(OUT, exist_ok=True)
    png = os.path.join(OUT, os.path.basename(path).replace('.bpmn', '.png'))
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                        '--disable-component-update', '--no-first-run', '--hide-scrollbars',
                        '--user-data-dir=' + profile, '--allow-file-access-from-files',
                        '--virtual-time-budget=8000', '--window-size=%d,%d' % (w, h),
                        '--screenshot=' + os.path.abspath(png), 'file://' + page.name],
                       check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    print(png, w, h)
