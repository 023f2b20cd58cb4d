package io.chatmsg;

import java.util.Arrays;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.data.repository.Repository;
import org.springframework.stereotype.Component;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.metaAnnotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Keeps the dependencies pointing one way (docs/architecture.md). ArchUnit reads
 * the compiled classes, so a fully qualified name in the code counts as much as
 * an import.
 */
@AnalyzeClasses(packages = "io.chatmsg", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    /** What Spring makes into a bean of the server: components, configuration, repositories, properties. */
    private static final DescribedPredicate<JavaClass> SERVER_BEANS = DescribedPredicate.<JavaClass>or(
                    metaAnnotatedWith(Component.class),
                    metaAnnotatedWith(ConfigurationProperties.class),
                    assignableTo(Repository.class))
            .and(resideInAPackage("io.chatmsg.."))
            .as("are the server's Spring beans");

    @ArchTest
    static final ArchRule noCyclesBetweenPackages =
            slices().matching("io.chatmsg.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule protocolIsPlainJava = noClasses()
            .that()
            .resideInAPackage("io.chatmsg.protocol..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.chatmsg..")
                    .and(resideOutsideOfPackage("io.chatmsg.protocol.."))
                    .as("reside in another package of ours"))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty..", "org.springframework..");

    @ArchTest
    static final ArchRule chatKnowsNoNettyNorGateway = noClasses()
            .that()
            .resideInAPackage("io.chatmsg.chat..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty..", "io.chatmsg.gateway..");

    @ArchTest
    static final ArchRule storageKnowsNoNettyNorGateway = noClasses()
            .that()
            .resideInAnyPackage(
                    "io.chatmsg.account..", "io.chatmsg.history..", "io.chatmsg.session..", "io.chatmsg.store..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.netty..", "io.chatmsg.gateway..");

    @ArchTest
    static final ArchRule onlyTheGatewayAndTheToolsUseNetty = noClasses()
            .that()
            .resideOutsideOfPackages("io.chatmsg.gateway..", "io.chatmsg.cli..", "io.chatmsg.bench..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.netty..");

    /** The lowest package: properties, meters, pools; everything may use it, it uses nothing of ours. */
    @ArchTest
    static final ArchRule configDependsOnNothingOfOurs = noClasses()
            .that()
            .resideInAPackage("io.chatmsg.config..")
            .should()
            .dependOnClassesThat(resideInAPackage("io.chatmsg..")
                    .and(resideOutsideOfPackage("io.chatmsg.config.."))
                    .as("reside in another package of ours"));

    /** The terminal client and the tools run without a Spring context. */
    @ArchTest
    static final ArchRule cliRunsWithoutSpring = noClasses()
            .that()
            .resideInAPackage("io.chatmsg.cli..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework..");

    /** The server's packages above the protocol (config last). */
    private static final String[] SERVER_PACKAGES = {
        "io.chatmsg.gateway..",
        "io.chatmsg.chat..",
        "io.chatmsg.admin..",
        "io.chatmsg.alerts..",
        "io.chatmsg.ops..",
        "io.chatmsg.files..",
        "io.chatmsg.account..",
        "io.chatmsg.session..",
        "io.chatmsg.config.."
    };

    private static final String WRITE_PATH_BENCHMARK = "io.chatmsg.bench.WritePathBenchmark";

    /** The tools reach the server only over its sockets (the write-path benchmark: below). */
    @ArchTest
    static final ArchRule toolsDependOnNoServerBean = noClasses()
            .that()
            .resideInAnyPackage("io.chatmsg.cli..", "io.chatmsg.bench..")
            .and()
            .doNotHaveFullyQualifiedName(WRITE_PATH_BENCHMARK)
            .should()
            .dependOnClassesThat(SERVER_BEANS)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(SERVER_PACKAGES);

    /**
     * The write-path benchmark builds the real message log and writer by hand, without
     * Spring (scenario e), and uses nothing else of the server.
     */
    @ArchTest
    static final ArchRule writePathBenchmarkUsesOnlyTheWritePath = noClasses()
            .that()
            .haveFullyQualifiedName(WRITE_PATH_BENCHMARK)
            .should()
            .dependOnClassesThat(SERVER_BEANS
                    .and(DescribedPredicate.not(JavaClass.Predicates.type(io.chatmsg.history.MessageLog.class)))
                    .as("are the server's Spring beans other than the message log"))
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(Arrays.copyOf(SERVER_PACKAGES, SERVER_PACKAGES.length - 1)); // config's meters may do
}
