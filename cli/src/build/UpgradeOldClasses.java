import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.ClassFileVersion;
import java.lang.constant.ClassDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build step: rewrites the classes of a jar whose class-file version predates Java 6 (picocli ships Java 5
 * classes) as Java 8 classes with stack maps.
 *
 * <p>Why: the JVM's AOT cache skips "old" classes (major version below 50), so every picocli class was loaded,
 * verified by the old inference verifier and linked at run time on each start of the CLI: most of a short
 * command's start-up. Rewritten, they go into the AOT cache like everything else. Only the class-file version
 * changes and stack maps are computed; the bytecode is the same. A class that cannot be rewritten is kept as it
 * was, and the step says so.
 *
 * <p>Usage: {@code java UpgradeOldClasses.java JAR} (rewrites JAR in place, atomically).
 */
public final class UpgradeOldClasses {
    private static final int OLD_BELOW = 50;
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java UpgradeOldClasses.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        // One read of the jar: every entry's bytes, in order; the classes double as the hierarchy source.
        Map<JarEntry, byte[]> entries = new LinkedHashMap<>();
        Map<ClassDesc, byte[]> classes = new HashMap<>();
        try (JarFile in = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = in.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                entries.put(entry, bytes);
                if (isClass(entry)) {
                    String internal = entry.getName().substring(0, entry.getName().length() - ".class".length());
                    classes.put(ClassDesc.ofInternalName(internal), bytes);
                }
            }
        }
        // Stack maps need the supertypes of every class the code merges: the jar's own, then the JDK's.
        ClassHierarchyResolver resolver = ClassHierarchyResolver.ofResourceParsing(
                desc -> classes.containsKey(desc) ? new java.io.ByteArrayInputStream(classes.get(desc)) : null)
                .orElse(ClassHierarchyResolver.defaultResolver());
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver),
                ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
        int upgraded = 0;
        int kept = 0;
        Path out = jar.resolveSibling(jar.getFileName() + ".upgrading");
        try (JarOutputStream o = new JarOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<JarEntry, byte[]> e : entries.entrySet()) {
                JarEntry entry = e.getKey();
                byte[] bytes = e.getValue();
                if (isClass(entry) && major(bytes) < OLD_BELOW) {
                    try {
                        bytes = upgrade(cf, bytes);
                        upgraded++;
                    } catch (RuntimeException ex) {
                        kept++;
                        System.err.println("UpgradeOldClasses: kept " + entry.getName() + " as it was: " + ex.getMessage());
                    }
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                o.putNextEntry(copy);
                o.write(bytes);
                o.closeEntry();
            }
        }
        Files.move(out, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UpgradeOldClasses: " + upgraded + " class(es) rewritten to class-file version " + TARGET
                + (kept > 0 ? ", " + kept + " kept" : "") + " in " + jar);
    }

    private static boolean isClass(JarEntry entry) {
        return entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/");
    }

    private static int major(byte[] classFile) {
        return classFile.length < 8 ? Integer.MAX_VALUE : ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] upgrade(ClassFile cf, byte[] bytes) {
        ClassModel model = cf.parse(bytes);
        // Passing every method body through a code transform makes the writer re-emit it, computing stack maps.
        ClassTransform bodies = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL);
        ClassTransform version = (builder, element) -> {
            if (!(element instanceof ClassFileVersion)) {
                builder.with(element);
            }
        };
        return cf.transformClass(model, version.andThen(bodies)
                .andThen(ClassTransform.endHandler(b -> b.withVersion(TARGET, 0))));
    }
}
