/**
 * Python classes for the `$lib/nn` modules that torch.nn has no class for. Each computes what
 * its TypeScript namesake computes, with the same attribute names, so state dicts load as they are.
 */

/** The article's block, exactly as the article writes it (flaws included: see `$lib/nn/attention-module`). */
export const ATTENTION_MODULE_PY = `class AttentionModule(nn.Module):
    def __init__(self, input_dim, hidden_dim):
        super(AttentionModule, self).__init__()
        self.relu = nn.ReLU()
        self.attention = nn.Linear(input_dim, hidden_dim)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, input):
        x = self.relu(input)
        attention_weight = self.attention(x)
        attention_weight = self.softmax(attention_weight)
        output = torch.mul(x, attention_weight)
        return output`;

export const ATTENTION_POOLING_PY = `class AttentionPooling(nn.Module):
    """Temporal attention pooling: one softmax weight per frame, and the weighted average of the frames."""

    def __init__(self, dim):
        super().__init__()
        # No bias: the softmax over frames ignores a shift shared by every frame's score.
        self.score = nn.Linear(dim, 1, bias=False)

    def forward(self, x):
        # x: (batch, frames, dim) -> pooled (batch, dim), weights (batch, frames)
        weights = self.score(x).squeeze(-1).softmax(dim=1)
        pooled = (weights.unsqueeze(1) @ x).squeeze(1)
        return pooled, weights`;

export const SPATIAL_ATTENTION_PY = `class SpatialAttention(nn.Module):
    """Attention over the height x width positions of a feature map: one softmax weight per position."""

    def __init__(self, channels, query_dim=None):
        super().__init__()
        self.query_dim = query_dim
        # Neither score nor key has a bias: the softmax over positions ignores a shift they all share.
        if query_dim is None:
            # Without a query, a learned read-out of each position's features says where to look.
            self.score = nn.Linear(channels, 1, bias=False)
        else:
            # With a query (e.g. the tracked object's template), the scaled dot product with each position's key.
            self.query = nn.Linear(query_dim, channels)
            self.key = nn.Linear(channels, channels, bias=False)

    def forward(self, features, query=None):
        # features: (batch, channels, height, width), query: (batch, query_dim)
        # -> pooled (batch, channels), weights (batch, height, width)
        b, c, h, w = features.shape
        positions = features.reshape(b, c, h * w).transpose(1, 2)
        if self.query_dim is None:
            scores = self.score(positions).squeeze(-1)
        else:
            scores = (self.key(positions) @ self.query(query).unsqueeze(-1)).squeeze(-1) / math.sqrt(c)
        weights = scores.softmax(dim=1)
        pooled = (weights.unsqueeze(1) @ positions).squeeze(1)
        return pooled, weights.reshape(b, h, w)`;

export const MULTI_HEAD_ATTENTION_PY = `class MultiHeadAttention(nn.MultiheadAttention):
    """
    nn.MultiheadAttention as Glance calls it: batch first, and a \`causal\` switch that stops each
    query from attending to later keys. Returns (output, weights), weights averaged over heads
    unless average_attn_weights=False.
    """

    def __init__(self, embed_dim, num_heads, bias=True, dropout=0.0):
        super().__init__(embed_dim, num_heads, dropout=dropout, bias=bias, batch_first=True)

    def forward(self, query, key, value, attn_mask=None, causal=False, need_weights=True, average_attn_weights=True):
        if causal:
            # True where key j lies in query i's future (j > i): those scores become -inf.
            future = torch.ones(query.shape[1], key.shape[1], dtype=torch.bool, device=query.device).triu(1)
            if attn_mask is None:
                attn_mask = future
            elif attn_mask.dtype == torch.bool:
                attn_mask = attn_mask | future
            else:
                attn_mask = attn_mask.masked_fill(future, float("-inf"))
        return super().forward(
            query,
            key,
            value,
            attn_mask=attn_mask,
            need_weights=need_weights,
            average_attn_weights=average_attn_weights,
        )`;
