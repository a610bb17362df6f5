import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * Proves the Android framework doubles tell the truth: every public or protected class, constructor,
 * method, field and constant under android/ in the compiled doubles exists in the real android-all jar
 * with the same kind, supertypes, parameter and return types, static-ness and constant value. What
 * carries @testing.TestHook is the harness's own and is skipped.
 *
 *   java SignatureCheck <compiled doubles dir> <android-all.jar>
 *
 * Prints one line per mismatch and exits 1, or says what it checked and exits 0. Both sides are read as
 * class files, never loaded: android-all is Java 21 bytecode, which a JDK 17 cannot load, and loading
 * would run the framework's static initialisers.
 */
public final class SignatureCheck {
    private static final int PUBLIC = 0x0001, PROTECTED = 0x0004, STATIC = 0x0008, BRIDGE = 0x0040;
    private static final int INTERFACE = 0x0200, SYNTHETIC = 0x1000;
    private static final String HOOK = "Ltesting/TestHook;";

    record Member(String name, String descriptor, int access, String constant, boolean hook) {}

    record ClassFile(String name, int access, String superName, List<String> interfaces, List<Member> fields, List<Member> methods, boolean hook) {}

    private final Path doublesDir;
    private final ZipFile jar;
    private final Map<String, ClassFile> realClasses = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private int members;

    private SignatureCheck(Path doublesDir, ZipFile jar) {
        this.doublesDir = doublesDir;
        this.jar = jar;
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<String> names;
        try (Stream<Path> files = Files.walk(dir.resolve("android"))) {
            names = files.map(p -> dir.relativize(p).toString()).filter(p -> p.endsWith(".class"))
                .map(p -> p.substring(0, p.length() - 6)).sorted().toList();
        }
        try (ZipFile jar = new ZipFile(args[1])) {
            SignatureCheck check = new SignatureCheck(dir, jar);
            int classes = 0;
            for (String name : names) if (check.checkClass(name)) classes++;
            check.problems.forEach(System.out::println);
            if (!check.problems.isEmpty()) System.exit(1);
            System.out.println("checked " + classes + " classes and " + check.members + " members against " + args[1]);
        }
    }

    private static boolean visible(int access) { return (access & (PUBLIC | PROTECTED)) != 0; }

    private static boolean skipped(Member m) { return m.hook() || !visible(m.access()) || (m.access() & (SYNTHETIC | BRIDGE)) != 0; }

    private static String dotted(String internal) { return internal.replace('/', '.'); }

    private boolean checkClass(String name) throws IOException {
        ClassFile d = parse(Files.readAllBytes(doublesDir.resolve(name + ".class")));
        // Anonymous classes (Outer$1) and anything package-private are the double's own business.
        if (name.matches(".*\\$\\d+$") || d.hook() || !visible(d.access()) || (d.access() & SYNTHETIC) != 0) return false;
        ClassFile r = real(name);
        String cls = dotted(name);
        if (r == null) return problem(cls + ": no such class in the real jar");
        if ((d.access() & INTERFACE) != (r.access() & INTERFACE)) problem(cls + ": an interface in one jar, a class in the other");
        if (!visible(r.access())) problem(cls + ": not public in the real jar");
        List<String> supers = new ArrayList<>(d.interfaces());
        if (d.superName() != null && !d.superName().equals("java/lang/Object")) supers.add(d.superName());
        List<String> realSupers = supertypes(name);
        for (String s : supers) if (!realSupers.contains(s)) problem(cls + ": the real class is not a " + dotted(s));
        for (Member m : d.methods()) {
            if (skipped(m) || m.name().equals("<clinit>")) continue;
            members++;
            String params = m.descriptor().substring(0, m.descriptor().indexOf(')') + 1);
            String what = m.name().equals("<init>") ? "constructor" : "method " + m.name();
            Member rm = m.name().equals("<init>") ? own(r.methods(), m.name(), params) : findMethod(name, m.name(), params);
            if (rm == null) problem(cls + ": no " + what + params);
            else if (!rm.descriptor().equals(m.descriptor())) problem(cls + "." + m.name() + params + " returns " + rm.descriptor().substring(params.length()) + " in the real jar, " + m.descriptor().substring(params.length()) + " in the double");
            else if ((rm.access() & STATIC) != (m.access() & STATIC)) problem(cls + "." + m.name() + params + ": static in one jar, not in the other");
        }
        for (Member f : d.fields()) {
            if (skipped(f)) continue;
            members++;
            Member rf = findField(name, f.name());
            if (rf == null) { problem(cls + ": no field " + f.name()); continue; }
            if (!rf.descriptor().equals(f.descriptor())) problem(cls + "." + f.name() + " is " + rf.descriptor() + " in the real jar, " + f.descriptor() + " in the double");
            if ((rf.access() & STATIC) != (f.access() & STATIC)) problem(cls + "." + f.name() + ": static in one jar, not in the other");
            String want = rf.constant() == null ? "no constant" : rf.constant();
            String have = f.constant() == null ? "no constant" : f.constant();
            if (!want.equals(have)) problem(cls + "." + f.name() + " = " + want + " in the real jar, " + have + " in the double");
        }
        return true;
    }

    private boolean problem(String line) { problems.add(line); return false; }

    private ClassFile real(String name) throws IOException {
        if (realClasses.containsKey(name)) return realClasses.get(name);
        var entry = jar.getEntry(name + ".class");
        ClassFile c = null;
        if (entry != null) try (InputStream in = jar.getInputStream(entry)) { c = parse(in.readAllBytes()); }
        realClasses.put(name, c);
        return c;
    }

    private List<String> supertypes(String name) throws IOException {
        List<String> out = new ArrayList<>();
        ClassFile c = real(name);
        if (c == null) return out;
        List<String> direct = new ArrayList<>(c.interfaces());
        if (c.superName() != null) direct.add(c.superName());
        for (String s : direct) { out.add(s); out.addAll(supertypes(s)); }
        return out;
    }

    private static Member own(List<Member> members, String name, String params) {
        for (Member m : members) if (m.name().equals(name) && m.descriptor().startsWith(params) && visible(m.access())) return m;
        return null;
    }

    /** A visible method of the class or of anything it extends or implements, matched on name and parameters. */
    private Member findMethod(String cls, String name, String params) throws IOException {
        ClassFile c = real(cls);
        if (c == null) return null;
        Member m = own(c.methods(), name, params);
        if (m == null && c.superName() != null) m = findMethod(c.superName(), name, params);
        for (String i : c.interfaces()) if (m == null) m = findMethod(i, name, params);
        return m;
    }

    private Member findField(String cls, String name) throws IOException {
        ClassFile c = real(cls);
        if (c == null) return null;
        for (Member f : c.fields()) if (f.name().equals(name) && visible(f.access())) return f;
        Member m = c.superName() == null ? null : findField(c.superName(), name);
        for (String i : c.interfaces()) if (m == null) m = findField(i, name);
        return m;
    }

    /** The parts of a class file this check needs (JVM spec chapter 4). */
    static ClassFile parse(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readInt();
        in.readInt();
        int count = in.readUnsignedShort();
        Object[] pool = new Object[count];
        int[] classNames = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> pool[i] = in.readUTF();
                case 3 -> pool[i] = String.valueOf(in.readInt());
                case 4 -> pool[i] = String.valueOf(in.readFloat());
                case 5 -> { pool[i] = String.valueOf(in.readLong()); i++; }
                case 6 -> { pool[i] = String.valueOf(in.readDouble()); i++; }
                case 7 -> classNames[i] = in.readUnsignedShort();
                case 8 -> pool[i] = new int[] {in.readUnsignedShort()};
                case 16, 19, 20 -> in.readUnsignedShort();
                case 15 -> { in.readUnsignedByte(); in.readUnsignedShort(); }
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        int access = in.readUnsignedShort();
        String name = (String) pool[classNames[in.readUnsignedShort()]];
        int superIndex = in.readUnsignedShort();
        String superName = superIndex == 0 ? null : (String) pool[classNames[superIndex]];
        List<String> interfaces = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) interfaces.add((String) pool[classNames[in.readUnsignedShort()]]);
        List<Member> fields = members(in, pool);
        List<Member> methods = members(in, pool);
        boolean hook = attributes(in, pool).containsKey("hook");
        return new ClassFile(name, access, superName, interfaces, fields, methods, hook);
    }

    private static List<Member> members(DataInputStream in, Object[] pool) throws IOException {
        List<Member> out = new ArrayList<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            int access = in.readUnsignedShort();
            String name = (String) pool[in.readUnsignedShort()];
            String descriptor = (String) pool[in.readUnsignedShort()];
            Map<String, String> attributes = attributes(in, pool);
            out.add(new Member(name, descriptor, access, attributes.get("constant"), attributes.containsKey("hook")));
        }
        return out;
    }

    /** ConstantValue as "constant" (strings quoted), and "hook" when @TestHook is among the annotations. */
    private static Map<String, String> attributes(DataInputStream in, Object[] pool) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = in.readUnsignedShort(); n > 0; n--) {
            String attribute = (String) pool[in.readUnsignedShort()];
            byte[] body = in.readNBytes(in.readInt());
            DataInputStream a = new DataInputStream(new ByteArrayInputStream(body));
            if (attribute.equals("ConstantValue")) {
                Object value = pool[a.readUnsignedShort()];
                out.put("constant", value instanceof int[] s ? '"' + (String) pool[s[0]] + '"' : (String) value);
            } else if (attribute.equals("RuntimeVisibleAnnotations")) {
                for (int k = a.readUnsignedShort(); k > 0; k--) {
                    if (HOOK.equals(pool[a.readUnsignedShort()])) out.put("hook", "");
                    for (int p = a.readUnsignedShort(); p > 0; p--) { a.readUnsignedShort(); skipElementValue(a); }
                }
            }
        }
        return out;
    }

    private static void skipElementValue(DataInputStream a) throws IOException {
        int tag = a.readUnsignedByte();
        switch (tag) {
            case 'e' -> a.readInt();
            case '@' -> { a.readUnsignedShort(); for (int p = a.readUnsignedShort(); p > 0; p--) { a.readUnsignedShort(); skipElementValue(a); } }
            case '[' -> { for (int v = a.readUnsignedShort(); v > 0; v--) skipElementValue(a); }
            default -> a.readUnsignedShort();
        }
    }
}
