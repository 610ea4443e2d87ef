"""Writes BPMN 2.0 files with full diagram data from a compact description on a grid.

Used to lay out the first versions of the flows in processes/. The .bpmn files are the source of truth:
edit them in Camunda Modeler. Re-running a script here overwrites such edits, so only do that while a flow
is still being designed (see tools/bpmn/README.md).
"""
from xml.sax.saxutils import escape, quoteattr

COL, ROW = 170, 130          # grid pitch
RETRY = 'R5/PT10S'           # retries of a job that failed for a technical reason, before it becomes an incident
X0, Y0 = 60, 60              # origin of cell (0, 0)
SIZES = {'event': (36, 36), 'task': (110, 80), 'gateway': (50, 50), 'subprocess': None}


def q(v):
    return quoteattr(str(v))


class Node:
    def __init__(self, proc, kind, tag, id, name, cell, attrs=None, body='', size=None):
        self.proc, self.kind, self.tag, self.id, self.name = proc, kind, tag, id, name
        self.cell, self.attrs, self.body = cell, attrs or {}, body
        w, h = size or SIZES[kind]
        cx, cy = X0 + cell[0] * COL + 55, Y0 + cell[1] * ROW + 40
        self.x, self.y, self.w, self.h = cx - w / 2, cy - h / 2, w, h
        self.incoming, self.outgoing = [], []
        self.parent = None

    def cx(self): return self.x + self.w / 2
    def cy(self): return self.y + self.h / 2


class Flow:
    def __init__(self, id, src, dst, name=None, cond=None, via=None, label=None, attrs=None, body=''):
        self.id, self.src, self.dst, self.name, self.cond, self.via = id, src, dst, name, cond, via
        self.label, self.attrs, self.body = label, attrs or {}, body


class Scope:
    def __init__(self):
        self.nodes, self.flows = [], []
        self.by_id = {}

    def _add(self, node):
        node.parent = self
        self.nodes.append(node)
        self.proc.by_id[node.id] = node
        return node

    def start(self, id, name, cell, body='', attrs=None):
        return self._add(Node(self.proc, 'event', 'startEvent', id, name, cell, attrs, body))

    def end(self, id, name, cell, body='', attrs=None):
        return self._add(Node(self.proc, 'event', 'endEvent', id, name, cell, attrs, body))

    def catch(self, id, name, cell, body, attrs=None):
        return self._add(Node(self.proc, 'event', 'intermediateCatchEvent', id, name, cell, attrs, body))

    def throw(self, id, name, cell, body, attrs=None):
        return self._add(Node(self.proc, 'event', 'intermediateThrowEvent', id, name, cell, attrs, body))

    def task(self, tag, id, name, cell, attrs=None, body=''):
        return self._add(Node(self.proc, 'task', tag, id, name, cell, attrs, body))

    def service(self, id, name, cell, delegate, async_before=False, retry=None, attrs=None, body='', async_after=False):
        a = {'camunda:delegateExpression': '${%s}' % delegate}
        if async_before:
            a['camunda:asyncBefore'] = 'true'
        if async_after:
            a['camunda:asyncAfter'] = 'true'
        a.update(attrs or {})
        ext = ''
        if retry:
            ext = '<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % retry
        return self.task('serviceTask', id, name, cell, a, ext_wrap(ext) + body)

    def gateway(self, id, name, cell, kind='exclusiveGateway', attrs=None):
        return self._add(Node(self.proc, 'gateway', kind, id, name, cell, attrs))

    def subprocess(self, id, name, cell, cols, rows, attrs=None, body=''):
        sp = SubProcess(self.proc, id, name, cell, cols, rows, attrs, body)
        self._add(sp)
        return sp

    def boundary(self, id, name, attached, body, cancel=True, side='bottom', pos=0.5, attrs=None):
        n = Node(self.proc, 'event', 'boundaryEvent', id, name, attached.cell, attrs, body)
        n.attrs = dict(n.attrs)
        n.attrs['attachedToRef'] = attached.id
        if not cancel:
            n.attrs['cancelActivity'] = 'false'
        if side == 'bottom':
            n.x, n.y = attached.x + attached.w * pos - 18, attached.y + attached.h - 18
        else:
            n.x, n.y = attached.x + attached.w * pos - 18, attached.y - 18
        n.side = side
        return self._add(n)

    def flow(self, src, dst, name=None, cond=None, via=None, id=None, body=''):
        s, d = self.proc.by_id[src], self.proc.by_id[dst]
        fid = id or 'flow_%s_to_%s' % (short(src), short(dst))
        n, k = fid, 2
        while n in self.proc.flow_ids:
            n, k = '%s_%d' % (fid, k), k + 1
        self.proc.flow_ids.add(n)
        f = Flow(n, s, d, name, cond, via, body=body)
        s.outgoing.append(f)
        d.incoming.append(f)
        self.flows.append(f)
        return f

    def association(self, src, dst):
        self.proc.associations.append((self, src, dst))


def short(id):
    return id.split('_', 1)[1] if '_' in id else id


def ext_wrap(inner):
    return '<bpmn:extensionElements>%s</bpmn:extensionElements>' % inner if inner else ''


class SubProcess(Node, Scope):
    def __init__(self, proc, id, name, cell, cols, rows, attrs, body):
        Scope.__init__(self)
        self.proc = proc
        x = X0 + cell[0] * COL - 20
        y = Y0 + cell[1] * ROW - 30
        Node.__init__(self, proc, 'subprocess', 'subProcess', id, name, cell, attrs, body,
                      size=(cols * COL + 10, rows * ROW + 20))
        self.x, self.y = x, y


class Process(Scope):
    def __init__(self, key, name, ttl='P30D', doc=None, listeners=''):
        Scope.__init__(self)
        self.listeners = listeners
        self.proc = self
        self.key, self.name, self.ttl, self.doc = key, name, ttl, doc
        self.by_id, self.flow_ids = {}, set()
        self.messages, self.errors, self.associations = [], [], []

    def message(self, id, name):
        self.messages.append((id, name))

    def error(self, id, name, code):
        self.errors.append((id, name, code))

    # ---- XML

    def xml(self):
        out = ['<?xml version="1.0" encoding="UTF-8"?>',
               '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
               'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
               'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" '
               'xmlns:di="http://www.omg.org/spec/DD/20100524/DI" '
               'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xmlns:modeler="http://camunda.org/schema/modeler/1.0" '
               'id="definitions_%s" targetNamespace="http://stratos.org/update/bpmn" '
               'exporter="Camunda Modeler" exporterVersion="5.31.0" '
               'modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0">' % self.key]
        out.append('  <bpmn:process id=%s name=%s isExecutable="true" camunda:historyTimeToLive=%s>'
                   % (q(self.key), q(self.name), q(self.ttl)))
        if self.doc:
            out.append('    <bpmn:documentation>%s</bpmn:documentation>' % escape(self.doc))
        if self.listeners:
            out.append('    ' + ext_wrap(self.listeners))
        self._scope_xml(self, out, '    ')
        for i, (scope, src, dst) in enumerate(self.associations):
            out.append('    <bpmn:association id="association_%s" associationDirection="One" sourceRef=%s targetRef=%s />'
                       % (short(dst), q(src), q(dst)))
        out.append('  </bpmn:process>')
        for id, name in self.messages:
            out.append('  <bpmn:message id=%s name=%s />' % (q(id), q(name)))
        for id, name, code in self.errors:
            out.append('  <bpmn:error id=%s name=%s errorCode=%s />' % (q(id), q(name), q(code)))
        out.append('  <bpmndi:BPMNDiagram id="diagram_%s">' % self.key)
        out.append('    <bpmndi:BPMNPlane id="plane_%s" bpmnElement=%s>' % (self.key, q(self.key)))
        self._di(self, out)
        for scope, src, dst in self.associations:
            s, d = self.by_id[src], self.by_id[dst]
            out.append('      <bpmndi:BPMNEdge id="association_%s_di" bpmnElement="association_%s">' % (short(dst), short(dst)))
            out.append('        <di:waypoint x="%d" y="%d" />' % (s.cx(), s.y + s.h))
            out.append('        <di:waypoint x="%d" y="%d" />' % (s.cx(), d.cy()))
            out.append('        <di:waypoint x="%d" y="%d" />' % (d.x, d.cy()))
            out.append('      </bpmndi:BPMNEdge>')
        out.append('    </bpmndi:BPMNPlane>')
        out.append('  </bpmndi:BPMNDiagram>')
        out.append('</bpmn:definitions>')
        return '\n'.join(out) + '\n'

    def _scope_xml(self, scope, out, ind):
        for n in scope.nodes:
            attrs = ' '.join('%s=%s' % (k, q(v)) for k, v in n.attrs.items())
            name = ' name=%s' % q(n.name) if n.name else ''
            head = '%s<bpmn:%s id=%s%s%s>' % (ind, n.tag, q(n.id), name, (' ' + attrs) if attrs else '')
            out.append(head)
            # schema order: extension elements, incoming/outgoing, then definitions and loop characteristics
            pre, post = split_body(n.body)
            if pre:
                out.append(ind + '  ' + pre)
            for f in n.incoming:
                out.append('%s  <bpmn:incoming>%s</bpmn:incoming>' % (ind, f.id))
            for f in n.outgoing:
                out.append('%s  <bpmn:outgoing>%s</bpmn:outgoing>' % (ind, f.id))
            if post:
                out.append(ind + '  ' + post)
            if isinstance(n, SubProcess):
                self._scope_xml(n, out, ind + '  ')
            out.append('%s</bpmn:%s>' % (ind, n.tag))
        for f in scope.flows:
            name = ' name=%s' % q(f.name) if f.name else ''
            inner = f.body
            if f.cond:
                inner += '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">%s</bpmn:conditionExpression>' % escape(f.cond)
            if inner:
                out.append('%s<bpmn:sequenceFlow id=%s%s sourceRef=%s targetRef=%s>%s</bpmn:sequenceFlow>'
                           % (ind, q(f.id), name, q(f.src.id), q(f.dst.id), inner))
            else:
                out.append('%s<bpmn:sequenceFlow id=%s%s sourceRef=%s targetRef=%s />'
                           % (ind, q(f.id), name, q(f.src.id), q(f.dst.id)))

    def _di(self, scope, out):
        for n in scope.nodes:
            extra = ' isExpanded="true"' if isinstance(n, SubProcess) else ''
            if n.tag == 'exclusiveGateway':
                extra += ' isMarkerVisible="true"'
            out.append('      <bpmndi:BPMNShape id="%s_di" bpmnElement="%s"%s>' % (n.id, n.id, extra))
            out.append('        <dc:Bounds x="%d" y="%d" width="%d" height="%d" />' % (n.x, n.y, n.w, n.h))
            if n.kind in ('event', 'gateway') and n.name:
                lw = 110
                ly = n.y + n.h + 5 if not (n.tag == 'boundaryEvent' and getattr(n, 'side', 'bottom') == 'top') else n.y - 30
                out.append('        <bpmndi:BPMNLabel><dc:Bounds x="%d" y="%d" width="%d" height="27" /></bpmndi:BPMNLabel>'
                           % (n.cx() - lw / 2, ly, lw))
            out.append('      </bpmndi:BPMNShape>')
            if isinstance(n, SubProcess):
                self._di(n, out)
        for f in scope.flows:
            pts = route(f)
            out.append('      <bpmndi:BPMNEdge id="%s_di" bpmnElement="%s">' % (f.id, f.id))
            for x, y in pts:
                out.append('        <di:waypoint x="%d" y="%d" />' % (x, y))
            if f.name:
                lx, ly = label_pos(pts)
                out.append('        <bpmndi:BPMNLabel><dc:Bounds x="%d" y="%d" width="90" height="27" /></bpmndi:BPMNLabel>' % (lx, ly))
            out.append('      </bpmndi:BPMNEdge>')


def split_body(body):
    start, end = '<bpmn:extensionElements>', '</bpmn:extensionElements>'
    if start in body:
        i, j = body.index(start), body.index(end) + len(end)
        return body[i:j], body[:i] + body[j:]
    return '', body


def label_pos(pts):
    (x1, y1), (x2, y2) = pts[0], pts[1]
    if len(pts) > 2 and abs(x2 - x1) < 2:
        (x1, y1), (x2, y2) = pts[1], pts[2]
    return (x1 + x2) / 2 - 40, (y1 + y2) / 2 - 24


def route(f):
    s, d = f.src, f.dst
    if f.via:
        pts = [exit_point(s, f.via[0])] + list(f.via) + [entry_point(d, f.via[-1])]
        return pts
    if s.tag == 'boundaryEvent':
        if getattr(s, 'side', 'bottom') == 'bottom':
            sx, sy = s.cx(), s.y + s.h
            if abs(d.cx() - sx) < 3:
                return [(sx, sy), (sx, d.y)]
            if d.cy() > sy:
                return [(sx, sy), (sx, d.cy()), (d.x if d.cx() > sx else d.x + d.w, d.cy())]
            return [(sx, sy), (sx, sy + 20), (d.cx(), sy + 20), (d.cx(), d.y + d.h)]
        sx, sy = s.cx(), s.y
        if d.cy() < sy:
            return [(sx, sy), (sx, d.cy()), (d.x if d.cx() > sx else d.x + d.w, d.cy())]
        return [(sx, sy), (sx, sy - 20), (d.cx(), sy - 20), (d.cx(), d.y)]
    sx, sy = s.x + s.w, s.cy()
    if isinstance(d, SubProcess) and d.y < sy < d.y + d.h:
        return [(sx, sy), (d.x, sy)]
    if isinstance(s, SubProcess) and s.y < d.cy() < s.y + s.h:
        return [(sx, d.cy()), (d.x, d.cy())]
    if d.x >= sx - 1:  # forward
        if abs(d.cy() - sy) < 2:
            return [(sx, sy), (d.x, d.cy())]
        if s.kind == 'gateway':  # leave a gateway from top or bottom
            gx, gy = s.cx(), (s.y + s.h if d.cy() > sy else s.y)
            return [(gx, gy), (gx, d.cy()), (d.x, d.cy())]
        if d.kind == 'gateway':  # enter a gateway from top or bottom
            return [(sx, sy), (d.cx(), sy), (d.cx(), d.y if sy < d.cy() else d.y + d.h)]
        mx = (sx + d.x) / 2
        return [(sx, sy), (mx, sy), (mx, d.cy()), (d.x, d.cy())]
    # backwards: below both, then up into the target's bottom
    low = max(s.y + s.h, d.y + d.h) + 30
    if s.kind == 'gateway':
        return [(s.cx(), s.y + s.h), (s.cx(), low), (d.cx(), low), (d.cx(), d.y + d.h)]
    return [(s.cx(), s.y + s.h), (s.cx(), low), (d.cx(), low), (d.cx(), d.y + d.h)]


def exit_point(s, toward):
    tx, ty = toward
    if abs(tx - s.cx()) < 3:
        return (s.cx(), s.y + s.h if ty > s.cy() else s.y)
    return (s.x + s.w if tx > s.cx() else s.x, s.cy())


def entry_point(d, frm):
    fx, fy = frm
    if abs(fx - d.cx()) < 3:
        return (d.cx(), d.y if fy < d.cy() else d.y + d.h)
    return (d.x if fx < d.cx() else d.x + d.w, d.cy())


def timer(id, kind, expr):
    """A timer definition; kind is timeDuration, timeCycle or timeDate."""
    return '<bpmn:timerEventDefinition id="timerDefinition_%s"><bpmn:%s xsi:type="bpmn:tFormalExpression">%s</bpmn:%s></bpmn:timerEventDefinition>' % (
        short(id), kind, escape(expr), kind)


def message_def(ref):
    return '<bpmn:messageEventDefinition messageRef=%s />' % q(ref)


def error_def(ref, message_var=None):
    extra = ' camunda:errorMessageVariable=%s' % q(message_var) if message_var else ''
    return '<bpmn:errorEventDefinition errorRef=%s%s />' % (q(ref), extra)


def listener(event, expression):
    return '<camunda:executionListener event=%s expression=%s />' % (q(event), q(expression))


def call_body(ins=(), outs=(), business_key=None, mi=None, mi_sequential=False, mi_async_after=False,
              mi_completion=None, retry=None):
    """Extension elements and loop characteristics of a call activity: variables in and out, multi-instance."""
    ext = '<camunda:failedJobRetryTimeCycle>%s</camunda:failedJobRetryTimeCycle>' % retry if retry else ''
    ext += ''.join('<camunda:in source=%s target=%s />' % (q(v), q(v)) for v in ins)
    if business_key:
        ext += '<camunda:in businessKey=%s />' % q(business_key)
    ext += ''.join('<camunda:out source=%s target=%s />' % (q(v), q(v)) for v in outs)
    body = ext_wrap(ext)
    if mi:
        coll, elem = mi
        attrs = ' isSequential="true"' if mi_sequential else ''
        attrs += ' camunda:collection=%s camunda:elementVariable=%s' % (q(coll), q(elem))
        if mi_async_after:
            attrs += ' camunda:asyncAfter="true"'
        inner = ''
        if mi_completion:
            inner = '<bpmn:completionCondition xsi:type="bpmn:tFormalExpression">%s</bpmn:completionCondition>' % escape(mi_completion)
        body += '<bpmn:multiInstanceLoopCharacteristics%s>%s</bpmn:multiInstanceLoopCharacteristics>' % (attrs, inner)
    return body


def compensate_def(activity=None, catching=False):
    """Throwing: waits until the compensation handlers are done. Catching (boundary): no attributes."""
    if catching:
        return '<bpmn:compensateEventDefinition />'
    ref = ' activityRef=%s' % q(activity) if activity else ''
    return '<bpmn:compensateEventDefinition waitForCompletion="true"%s />' % ref
