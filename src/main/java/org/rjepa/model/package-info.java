/**
 * The circuit's sizes, its parameter blocks and the EMA target.
 *
 * <p>Symbols, as in {@code docs/design.md}, and nowhere else used as names:
 * <ul>
 * <li>{@code n}: hidden units, the size of the state {@code h}, the target embedding
 * {@code z} and the prediction {@code yhat};</li>
 * <li>{@code m}: the circuit input's size, {@code u = [x ; psi(p)]}, of which {@code mx}
 * are the patch's pixels {@code x} ({@code k x k x C}) and {@code 4L} the position code;</li>
 * <li>{@code ms}: the saccade code's size {@code 4L}; {@code L} Fourier frequencies;</li>
 * <li>{@code T}: fixations per sequence; {@code B}: sequences per batch; {@code P}: circuit
 * parameters;</li>
 * <li>{@code W_a, b_a, r_a} (gate, {@code a = sigma(alpha)}), {@code W_c, b_c, r_c} (drive,
 * {@code c = tanh(gamma)}), {@code V, U} (the dense variant's recurrent matrices),
 * {@code P_h, P_s, b_p} (predictor), {@code Wbar_c, bbar_c} (target);</li>
 * <li>{@code d_t = dh_t/dh_{t-1}} (diagonal), {@code g^a_t}, {@code g^c_t} (the gains of
 * the gate and drive), {@code e_t} (the scaled error), {@code delta_t = P_h^T e_t};</li>
 * <li>{@code E}: RFP traces; {@code S}: RTRL sensitivities; {@code J}: the Jacobian
 * {@code dh_t/dh_{t-1}}.</li>
 * </ul>
 */
package org.rjepa.model;
