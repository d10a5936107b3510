package org.rjepa.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rjepa.Assertions2.assertEachClose;
import static org.rjepa.Assertions2.assertGradientsClose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rjepa.Tolerances;
import org.rjepa.model.Block;
import org.rjepa.model.Dimensions;

/**
 * Every {@code *.json} file in the test resources' {@code testvectors/} folder (computed by an
 * independent implementation, see its README) against the double reference's forward pass
 * and each of its three learning rules. A file added there is picked up without a code change.
 */
class TestVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<Path> vectorFiles() throws IOException, URISyntaxException {
        Path folder = Path.of(TestVectorsTest.class.getResource("/testvectors").toURI());
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".json")).sorted()
                    .collect(Collectors.toList());
            assertFalse(found.isEmpty(), "no test vectors in " + folder);
            return found;
        }
    }

    @ParameterizedTest
    @MethodSource("vectorFiles")
    void everyRuleMatchesTheVectors(Path file) throws IOException {
        Vector v = Vector.read(file);
        String name = file.getFileName().toString();

        Reference.Result forward = Reference.forward(v.params, v.batch, Reference.ALL_TERMS);
        assertEachClose(name + " loss", new double[] {forward.loss()},
                new double[] {v.loss}, Tolerances.VECTOR_VALUE);
        for (int b = 0; b < v.h.length; b++) {
            for (int t = 0; t < v.h[b].length; t++) {
                assertEachClose(name + " h[" + b + "][" + t + "]", forward.h()[b][t], v.h[b][t],
                        Tolerances.VECTOR_VALUE);
            }
        }

        assertGradientsClose(name + " BPTT",
                Reference.bptt(v.params, v.batch, Reference.ALL_TERMS).gradient(), v.grad,
                Tolerances.VECTOR_GRADIENT);
        assertGradientsClose(name + " RFP",
                Reference.rfp(v.params, v.batch, Reference.ALL_TERMS).gradient(), v.grad,
                Tolerances.VECTOR_GRADIENT);
        assertGradientsClose(name + " RTRL",
                Reference.rtrl(v.params, v.batch, Reference.ALL_TERMS).gradient(), v.grad,
                Tolerances.VECTOR_GRADIENT);
    }

    /** One test-vector file, parsed. */
    static final class Vector {
        DoubleParameters params;
        ReferenceBatch batch;
        double loss;
        double[][][] h;
        DoubleParameters grad;

        static Vector read(Path file) throws IOException {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode sizes = root.get("sizes");
            int n = sizes.get("n").asInt();
            int m = sizes.get("m").asInt();
            int ms = sizes.get("ms").asInt();
            Dimensions d = new Dimensions(n, m, ms, m);
            Vector v = new Vector();
            v.params = blocks(root.get("params"), d);
            v.grad = blocks(root.get("expected").get("grad"), d);
            JsonNode inputs = root.get("inputs");
            v.batch = new ReferenceBatch(cube(inputs.get("u")), cube(inputs.get("s")),
                    cube(inputs.get("z")), false);
            v.loss = root.get("expected").get("loss").asDouble();
            v.h = cube(root.get("expected").get("h"));
            assertEquals(sizes.get("B").asInt(), v.batch.batch(), "B");
            assertEquals(sizes.get("T").asInt(), v.batch.steps(), "T");
            return v;
        }

        private static DoubleParameters blocks(JsonNode node, Dimensions d) {
            DoubleParameters p = new DoubleParameters(d);
            for (Block b : Block.values()) {
                if (b.size(d) == 0) {
                    continue;
                }
                double[] flat = flatten(node.get(b.name()));
                assertEquals(b.size(d), flat.length, "size of " + b);
                System.arraycopy(flat, 0, p.get(b), 0, flat.length);
            }
            return p;
        }

        private static double[] flatten(JsonNode node) {
            if (!node.isArray()) {
                return new double[] {node.asDouble()};
            }
            return Stream.iterate(0, i -> i + 1).limit(node.size())
                    .flatMapToDouble(i -> java.util.Arrays.stream(flatten(node.get(i))))
                    .toArray();
        }

        private static double[][][] cube(JsonNode node) {
            double[][][] out = new double[node.size()][][];
            for (int b = 0; b < node.size(); b++) {
                out[b] = new double[node.get(b).size()][];
                for (int t = 0; t < node.get(b).size(); t++) {
                    out[b][t] = flatten(node.get(b).get(t));
                }
            }
            return out;
        }
    }
}
