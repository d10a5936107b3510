package org.rjepa.learning;

import org.rjepa.fixation.FixationBatch;
import org.rjepa.model.Parameters;
import org.rjepa.model.Target;

/**
 * A learning rule on a backend. {@link #train} forms the gradient of a batch of fixation
 * sequences and moves the weights by the update rule; when it returns, the host's
 * {@code params}, {@code target} and the optimizer's state are current, whatever device did
 * the work.
 */
public interface Learner extends AutoCloseable {
    /** @return the batch's mean loss, each term with the weights as they were when formed */
    double train(FixationBatch batch, Parameters params, Target target, UpdateRule rule);

    /**
     * Bytes of learning state (traces, sensitivities or stored activations) per sequence,
     * counted from what the last batch allocated, not from a formula.
     */
    long stateBytesPerSequence();

    /** rfp, rtrl or bptt. */
    String algorithm();

    /** cpu or cuda. */
    String device();

    @Override
    void close();
}
