package org.stratos.update.update.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.Association;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.Event;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnLabel;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;

/**
 * The drawing of a flow (its BPMN diagram data) as plain geometry, and what makes it hard to read: elements not
 * drawn, shapes on shapes, labels on shapes or labels or lines, lines that cross or run through shapes, a drawing
 * larger than one screen. Labels are measured as bpmn-js (Cockpit, Modeler) lays them out: 11 px Arial, wrapped at
 * 90 px; an average character is taken as 6 px wide and a line 14 px high.
 */
final class FlowDiagram {

    /** One screen of diagram: what Cockpit shows of a flow on a 1920 x 1080 display without scrolling or zooming. */
    static final double SCREEN_WIDTH = 1800;

    static final double SCREEN_HEIGHT = 900;

    static final double CHAR_WIDTH = 6;
    static final double LINE_HEIGHT = 14;
    static final double WRAP_WIDTH = 90;

    record Box(double x, double y, double width, double height) {
        double right() {
            return x + width;
        }

        double bottom() {
            return y + height;
        }

        boolean overlaps(Box o) {
            return x < o.right() && o.x < right() && y < o.bottom() && o.y < bottom();
        }

        boolean contains(Box o) {
            return o.x >= x && o.right() <= right() && o.y >= y && o.bottom() <= bottom();
        }

        Box inset(double d) {
            return new Box(x + d, y + d, width - 2 * d, height - 2 * d);
        }

        List<Segment> sides() {
            Point a = new Point(x, y),
                    b = new Point(right(), y),
                    c = new Point(right(), bottom()),
                    d = new Point(x, bottom());
            return List.of(new Segment(a, b), new Segment(b, c), new Segment(c, d), new Segment(d, a));
        }

        boolean crossedBy(Segment s) {
            if (contains(s.a) || contains(s.b)) {
                return true;
            }
            return sides().stream().anyMatch(side -> Segment.intersection(s, side) != null);
        }

        boolean contains(Point p) {
            return p.x > x && p.x < right() && p.y > y && p.y < bottom();
        }

        @Override
        public String toString() {
            return String.format("(%.0f,%.0f %.0fx%.0f)", x, y, width, height);
        }
    }

    record Point(double x, double y) {
        boolean near(Point o) {
            return Math.abs(x - o.x) < 0.5 && Math.abs(y - o.y) < 0.5;
        }
    }

    record Segment(Point a, Point b) {
        /** Where two segments meet (a point of one of them if they overlap on a line), or null. */
        static Point intersection(Segment s, Segment t) {
            double d1 = cross(t.a, t.b, s.a),
                    d2 = cross(t.a, t.b, s.b),
                    d3 = cross(s.a, s.b, t.a),
                    d4 = cross(s.a, s.b, t.b);
            if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
                double r = d1 / (d1 - d2);
                return new Point(s.a.x + r * (s.b.x - s.a.x), s.a.y + r * (s.b.y - s.a.y));
            }
            if (d1 == 0 && on(t, s.a)) {
                return s.a;
            }
            if (d2 == 0 && on(t, s.b)) {
                return s.b;
            }
            if (d3 == 0 && on(s, t.a)) {
                return t.a;
            }
            if (d4 == 0 && on(s, t.b)) {
                return t.b;
            }
            return null;
        }

        /** Whether two segments lie on one line for more than a point. */
        static boolean overlapOnALine(Segment s, Segment t) {
            if (cross(t.a, t.b, s.a) != 0 || cross(t.a, t.b, s.b) != 0) {
                return false;
            }
            boolean vertical = Math.abs(s.a.x - s.b.x) < Math.abs(s.a.y - s.b.y);
            double s1 = vertical ? Math.min(s.a.y, s.b.y) : Math.min(s.a.x, s.b.x);
            double s2 = vertical ? Math.max(s.a.y, s.b.y) : Math.max(s.a.x, s.b.x);
            double t1 = vertical ? Math.min(t.a.y, t.b.y) : Math.min(t.a.x, t.b.x);
            double t2 = vertical ? Math.max(t.a.y, t.b.y) : Math.max(t.a.x, t.b.x);
            return Math.min(s2, t2) - Math.max(s1, t1) > 0.5;
        }

        private static double cross(Point o, Point a, Point b) {
            double v = (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
            return Math.abs(v) < 1e-6 ? 0 : v;
        }

        private static boolean on(Segment s, Point p) {
            return p.x >= Math.min(s.a.x, s.b.x) - 1e-6
                    && p.x <= Math.max(s.a.x, s.b.x) + 1e-6
                    && p.y >= Math.min(s.a.y, s.b.y) - 1e-6
                    && p.y <= Math.max(s.a.y, s.b.y) + 1e-6;
        }
    }

    record Shape(BaseElement element, Box box) {}

    record Line(BaseElement element, BaseElement source, BaseElement target, List<Point> points) {
        List<Segment> segments() {
            List<Segment> s = new ArrayList<>();
            for (int i = 1; i < points.size(); i++) {
                s.add(new Segment(points.get(i - 1), points.get(i)));
            }
            return s;
        }

        boolean endsAt(Point p) {
            return points.get(0).near(p) || points.get(points.size() - 1).near(p);
        }
    }

    record Label(BaseElement owner, String text, Box box) {}

    private final BpmnModelInstance model;
    private final Map<String, Shape> shapes;
    private final List<Line> lines = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final List<String> undrawn = new ArrayList<>();

    private FlowDiagram(BpmnModelInstance model) {
        this.model = model;
        this.shapes = model.getModelElementsByType(BpmnShape.class).stream()
                .collect(Collectors.toMap(
                        s -> s.getBpmnElement().getId(), s -> new Shape(s.getBpmnElement(), box(s.getBounds()))));
        Set<String> edges = model.getModelElementsByType(BpmnEdge.class).stream()
                .map(e -> e.getBpmnElement().getId())
                .collect(Collectors.toSet());
        for (BpmnEdge edge : model.getModelElementsByType(BpmnEdge.class)) {
            BaseElement e = edge.getBpmnElement();
            List<Point> points =
                    edge.getWaypoints().stream().map(FlowDiagram::point).toList();
            if (e instanceof SequenceFlow f) {
                lines.add(new Line(e, f.getSource(), f.getTarget(), points));
            } else if (e instanceof Association a) {
                lines.add(new Line(e, a.getSource(), a.getTarget(), points));
            }
            label(e, edge.getBpmnLabel());
        }
        for (BpmnShape shape : model.getModelElementsByType(BpmnShape.class)) {
            BaseElement e = shape.getBpmnElement();
            if (e instanceof Event || e instanceof Gateway) {
                label(e, shape.getBpmnLabel());
            }
        }
        for (FlowNode n : model.getModelElementsByType(FlowNode.class)) {
            if (!shapes.containsKey(n.getId())) {
                undrawn.add(n.getId());
            }
        }
        for (SequenceFlow f : model.getModelElementsByType(SequenceFlow.class)) {
            if (!edges.contains(f.getId())) {
                undrawn.add(f.getId());
            }
        }
        for (Association a : model.getModelElementsByType(Association.class)) {
            if (!edges.contains(a.getId())) {
                undrawn.add(a.getId());
            }
        }
    }

    static FlowDiagram of(BpmnModelInstance model) {
        return new FlowDiagram(model);
    }

    private void label(BaseElement e, BpmnLabel label) {
        String name = e.getAttributeValue("name");
        if (name == null || name.isBlank()) {
            return;
        }
        if (label == null || label.getBounds() == null) {
            undrawn.add(e.getId() + " (its label has no place)");
            return;
        }
        labels.add(new Label(e, name, box(label.getBounds())));
    }

    /** Elements, and labels of named elements, without diagram data. */
    List<String> undrawn() {
        return undrawn;
    }

    /** The smallest box around every shape, label and line. */
    Box bounds() {
        double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
        List<Box> boxes =
                new ArrayList<>(shapes.values().stream().map(Shape::box).toList());
        labels.forEach(l -> boxes.add(l.box));
        for (Line l : lines) {
            l.points.forEach(p -> boxes.add(new Box(p.x, p.y, 0, 0)));
        }
        for (Box b : boxes) {
            minX = Math.min(minX, b.x);
            minY = Math.min(minY, b.y);
            maxX = Math.max(maxX, b.right());
            maxY = Math.max(maxY, b.bottom());
        }
        return new Box(minX, minY, maxX - minX, maxY - minY);
    }

    /** Pairs of shapes on each other; a scope's shape holds its own elements, a boundary event sits on its activity. */
    List<String> overlappingShapes() {
        List<String> found = new ArrayList<>();
        List<Shape> all = new ArrayList<>(shapes.values());
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Shape a = all.get(i), b = all.get(j);
                if (within(b.element, a.element)) {
                    if (!a.box.contains(b.box)) {
                        found.add(b.element.getId() + " sticks out of " + a.element.getId());
                    }
                } else if (within(a.element, b.element)) {
                    if (!b.box.contains(a.box)) {
                        found.add(a.element.getId() + " sticks out of " + b.element.getId());
                    }
                } else if (!attached(a.element, b.element)
                        && !attached(b.element, a.element)
                        && a.box.overlaps(b.box)) {
                    found.add(a.element.getId() + " " + a.box + " on " + b.element.getId() + " " + b.box);
                }
            }
        }
        return found;
    }

    /** Labels smaller than their text as bpmn-js lays it out (so the text spills onto what is around them). */
    List<String> labelsWithoutRoom() {
        List<String> found = new ArrayList<>();
        for (Label l : labels) {
            double[] size = textSize(l.text);
            if (l.box.width < size[0] - 2 || l.box.height < size[1] - 2) {
                found.add(l.owner.getId() + ": '" + l.text + "' needs " + Math.round(size[0]) + "x"
                        + Math.round(size[1]) + ", has " + l.box);
            }
        }
        return found;
    }

    /** Width and height of a label's text: words wrapped at {@link #WRAP_WIDTH}. */
    static double[] textSize(String text) {
        List<String> rows = new ArrayList<>();
        String row = "";
        for (String word : text.trim().split("\\s+")) {
            String longer = row.isEmpty() ? word : row + " " + word;
            if (!row.isEmpty() && longer.length() * CHAR_WIDTH > WRAP_WIDTH) {
                rows.add(row);
                row = word;
            } else {
                row = longer;
            }
        }
        rows.add(row);
        // bpmn-js fits more on a line than this estimate: a label of several lines may be the full wrap width wide
        double width = rows.size() > 1 ? WRAP_WIDTH : rows.get(0).length() * CHAR_WIDTH;
        return new double[] {width, rows.size() * LINE_HEIGHT};
    }

    /** Labels on a shape other than their own, on another label, or crossed by a line not their own. */
    List<String> coveredLabels() {
        List<String> found = new ArrayList<>();
        for (Label l : labels) {
            for (Shape s : shapes.values()) {
                if (s.element == l.owner) {
                    continue;
                }
                if (s.element instanceof SubProcess) {
                    if (!s.box.contains(l.box) && s.box.overlaps(l.box)) {
                        found.add("label of " + l.owner.getId() + " " + l.box + " across the border of "
                                + s.element.getId());
                    }
                } else if (s.box.overlaps(l.box)) {
                    found.add("label of " + l.owner.getId() + " " + l.box + " on " + s.element.getId() + " " + s.box);
                }
            }
            for (Label o : labels) {
                if (o != l && o.owner.getId().compareTo(l.owner.getId()) > 0 && o.box.overlaps(l.box)) {
                    found.add("label of " + l.owner.getId() + " on label of " + o.owner.getId());
                }
            }
            for (Line line : lines) {
                if (line.element == l.owner || line.source == l.owner || line.target == l.owner) {
                    continue;
                }
                if (line.segments().stream().anyMatch(s -> l.box.crossedBy(s))) {
                    found.add("label of " + l.owner.getId() + " " + l.box + " crossed by " + line.element.getId());
                }
            }
        }
        return found;
    }

    /** Pairs of lines that cross or run on top of each other (lines meeting where both end are fine). */
    List<String> crossingLines() {
        List<String> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            for (int j = i + 1; j < lines.size(); j++) {
                Line a = lines.get(i), b = lines.get(j);
                search:
                for (Segment s : a.segments()) {
                    for (Segment t : b.segments()) {
                        Point p = Segment.intersection(s, t);
                        if (Segment.overlapOnALine(s, t) || p != null && !(a.endsAt(p) && b.endsAt(p))) {
                            found.add(a.element.getId() + " crosses " + b.element.getId()
                                    + (p == null ? "" : String.format(" at (%.0f,%.0f)", p.x, p.y)));
                            break search;
                        }
                    }
                }
            }
        }
        return found;
    }

    /**
     * Lines that run through a shape (through a task even if it is their own source or target: they join it at its
     * border), or across the border of a scope they neither leave nor enter.
     */
    List<String> linesThroughShapes() {
        List<String> found = new ArrayList<>();
        for (Line line : lines) {
            for (Shape s : shapes.values()) {
                BaseElement e = s.element;
                boolean end = e == line.source || e == line.target;
                if (end && !(e instanceof Activity)
                        || e instanceof SubProcess && end
                        || attached(line.source, e)
                        || attached(line.target, e)) {
                    continue; // a line leaves and enters the outline of its own round or pointed shapes anywhere
                }
                boolean scope = e instanceof SubProcess;
                Box box = scope ? s.box : s.box.inset(2);
                for (Segment seg : line.segments()) {
                    boolean hit = scope
                            ? box.sides().stream().anyMatch(side -> Segment.intersection(seg, side) != null)
                            : box.crossedBy(seg);
                    if (hit) {
                        found.add(line.element.getId() + " through " + e.getId());
                        break;
                    }
                }
            }
        }
        return found;
    }

    /**
     * Sequence flows that run right to left (their target's centre left of their source's) without closing a loop:
     * a diagram reads left to right, and only the way back of a loop runs the other way.
     */
    List<String> backwardLinesOutsideLoops() {
        List<String> found = new ArrayList<>();
        for (Line line : lines) {
            if (!(line.element instanceof SequenceFlow)) {
                continue;
            }
            Shape source = shapes.get(line.source.getId()), target = shapes.get(line.target.getId());
            double from = source.box.x + source.box.width / 2, to = target.box.x + target.box.width / 2;
            if (to < from - 1 && !reaches((FlowNode) line.target, (FlowNode) line.source)) {
                found.add(line.element.getId() + " runs right to left outside a loop");
            }
        }
        return found;
    }

    /** Whether a node leads to another along sequence flows (an activity also through its boundary events). */
    private boolean reaches(FlowNode from, FlowNode to) {
        java.util.Deque<FlowNode> todo = new java.util.ArrayDeque<>(List.of(from));
        java.util.Set<FlowNode> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            FlowNode n = todo.pop();
            if (n == to) {
                return true;
            }
            if (seen.add(n)) {
                n.getOutgoing().forEach(f -> todo.push(f.getTarget()));
                model.getModelElementsByType(BoundaryEvent.class).stream()
                        .filter(b -> b.getAttachedTo() == n)
                        .forEach(todo::push);
            }
        }
        return false;
    }

    private static boolean attached(BaseElement event, BaseElement activity) {
        return event instanceof BoundaryEvent b && b.getAttachedTo() == activity;
    }

    /** Whether an element lies in the scope (sub-process) of another, at any depth. */
    private static boolean within(BaseElement element, BaseElement scope) {
        for (ModelElementInstance p = element.getParentElement(); p != null; p = p.getParentElement()) {
            if (p == scope) {
                return true;
            }
        }
        return false;
    }

    private static Box box(Bounds b) {
        return new Box(b.getX(), b.getY(), b.getWidth(), b.getHeight());
    }

    private static Point point(Waypoint w) {
        return new Point(w.getX(), w.getY());
    }
}
