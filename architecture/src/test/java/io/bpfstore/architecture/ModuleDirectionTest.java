package io.bpfstore.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps module dependencies pointing one way (docs/ARCHITECTURE.md):
 * cli → agent → install → store/registry → analysis and kernel → bytecode, with analysis never depending
 * on kernel (facts of a host reach it as plain values), the server ({@code registry}) reached only from the
 * CLI, and the VM ({@code vm}, on bytecode alone) reached only from the CLI. Maven alone can't enforce this:
 * a module sees its dependencies' dependencies too.
 */
class ModuleDirectionTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.bpfstore");
        // DO_NOT_INCLUDE_JARS keeps third-party code out; the modules come from target/classes folders in the
        // reactor, or from their jars when run alone, so make sure we did see them.
        if (main.stream().noneMatch(c -> c.getPackageName().startsWith("io.bpfstore.cli"))) {
            main = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("io.bpfstore");
        }
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.bpfstore.cli..")
                .layer("agent").definedBy("io.bpfstore.agent..")
                .layer("install").definedBy("io.bpfstore.install..")
                .layer("registry").definedBy("io.bpfstore.registry..")
                .layer("store").definedBy("io.bpfstore.store..")
                .layer("analysis").definedBy("io.bpfstore.analysis..")
                .layer("vm").definedBy("io.bpfstore.vm..")
                .layer("kernel").definedBy("io.bpfstore.kernel..")
                .layer("bytecode").definedBy("io.bpfstore.bytecode..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("agent").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("install").mayOnlyBeAccessedByLayers("agent", "cli")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("store").mayOnlyBeAccessedByLayers("registry", "install", "agent", "cli")
                .whereLayer("analysis").mayOnlyBeAccessedByLayers("store", "registry", "install", "agent", "cli")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("install", "agent", "cli")
                .whereLayer("vm").mayOnlyBeAccessedByLayers("cli")
                .check(main);
    }

    @Test
    void mainCodeNeverUsesTestSupport() {
        noClasses().that().resideInAPackage("io.bpfstore..")
                .should().dependOnClassesThat().resideInAPackage("io.bpfstore.testsupport..")
                .check(main);
    }

    @Test
    void theRuleSeesEveryModule() {
        for (String module : new String[] {"cli", "agent", "install", "registry", "store", "analysis", "vm", "kernel", "bytecode"}) {
            if (main.stream().noneMatch(c -> c.getPackageName().startsWith("io.bpfstore." + module))) {
                throw new AssertionError("no main classes of module " + module + " were imported: the rule would pass vacuously");
            }
        }
    }
}
