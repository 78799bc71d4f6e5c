/**
 * The next-frame predictors in PyTorch, for `exportToPyTorch`: each class computes what its
 * TypeScript namesake computes, with the same attribute names, so the exported state dict loads
 * as it is. `MultiHeadAttention` (nn.MultiheadAttention, batch first, with a causal switch) comes
 * from `$lib/train/export`. Every predictor returns (predictions, [logits,] attention), attention
 * a list of one (batch, heads, T, T) tensor per layer.
 */

export const CAUSAL_BLOCK_PY = `class CausalBlock(nn.Module):
    """
    A pre-norm transformer block over time: x + attn(norm1(x)) with a causal mask, then x + mlp(norm2(x)).
    Without attention (the baseline) only the MLP is left. Returns (output, weights or None).
    """

    def __init__(self, dim, heads, mlp_dim, attention=True):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim) if attention else None
        self.attn = MultiHeadAttention(dim, heads) if attention else None
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(), nn.Linear(mlp_dim, dim))

    def forward(self, x):
        weights = None
        if self.attn is not None:
            h = self.norm1(x)
            mixed, weights = self.attn(h, h, h, causal=True, average_attn_weights=False)
            x = x + mixed
        return x + self.mlp(self.norm2(x)), weights`;

export const FRAME_TRANSFORMER_PY = `def sinusoidal_encoding(length, dim):
    """The fixed sinusoids of "Attention Is All You Need": (length, dim), sine in even features, cosine in odd."""
    angle = torch.arange(length, dtype=torch.float64)[:, None] / 10000 ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim)
    pe = torch.zeros(length, dim, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(angle)
    pe[:, 1::2] = torch.cos(angle[:, : dim // 2])
    return pe.float()


class FrameTransformer(nn.Module):
    """
    A tiny causal video transformer that predicts the next frame: each frame is one token (its pixels
    embedded by a Linear), plus a positional code, through causal blocks, decoded back to pixels.
    frames (batch, T, height, width) -> (predictions, logits, attention); row t predicts frame t + 1.
    """

    def __init__(self, height, width, max_frames, embed_dim, num_heads, num_layers, mlp_dim, positional="learned", attention=True):
        super().__init__()
        self.embed = nn.Linear(height * width, embed_dim)
        if positional == "learned":
            self.pos_embedding = nn.Parameter(torch.zeros(max_frames, embed_dim))
        else:
            self.pos_embedding = None
            self.register_buffer("pos_encoding", sinusoidal_encoding(max_frames, embed_dim))
        self.blocks = nn.ModuleList([CausalBlock(embed_dim, num_heads, mlp_dim, attention) for _ in range(num_layers)])
        self.norm = nn.LayerNorm(embed_dim)
        self.decoder = nn.Linear(embed_dim, height * width)

    def forward(self, frames):
        b, t, h, w = frames.shape
        table = self.pos_embedding if self.pos_embedding is not None else self.pos_encoding
        x = self.embed(frames.reshape(b, t, h * w)) + table[:t]
        attention = []
        for block in self.blocks:
            x, weights = block(x)
            if weights is not None:
                attention.append(weights)
        logits = self.decoder(self.norm(x)).reshape(b, t, h, w)
        return logits.sigmoid(), logits, attention`;

export const COPY_LAST_FRAME_PY = `class CopyLastFrame(nn.Module):
    """The simplest guess, no weights: the next frame looks like the last one. Returns (predictions, attention = [])."""

    def forward(self, frames):
        return frames, []`;

export const LINEAR_EXTRAPOLATION_PY = `class LinearExtrapolation(nn.Module):
    """
    Pixelwise linear extrapolation, no weights: clamp(2 f_t - f_(t-1), 0, 1), taking f_(-1) = f_0.
    Returns (predictions, attention = []).
    """

    def forward(self, frames):
        previous = torch.cat([frames[:, :1], frames[:, :-1]], dim=1)
        return (2 * frames - previous).clamp(0, 1), []`;
