"""
Glance's own layers written as PyTorch, for the reference fixtures. Attribute names are the
TypeScript property names, so the state-dict keys are the ones the engine produces.
"""

import math

import torch

from torch import nn


class AttentionModule(nn.Module):
    """The article's module, verbatim."""

    def __init__(self, input_dim, hidden_dim):
        super().__init__()
        self.relu = nn.ReLU()
        self.attention = nn.Linear(input_dim, hidden_dim)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, input):
        x = self.relu(input)
        attention_weight = self.attention(x)
        attention_weight = self.softmax(attention_weight)
        output = torch.mul(x, attention_weight)
        return output


class AttentionPooling(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.score = nn.Linear(dim, 1, bias=False)

    def forward(self, x):
        weights = self.score(x).squeeze(-1).softmax(1)
        return (weights.unsqueeze(1) @ x).squeeze(1), weights


class SpatialAttention(nn.Module):
    def __init__(self, channels, query_dim=None):
        super().__init__()
        if query_dim is None:
            self.score = nn.Linear(channels, 1, bias=False)
        else:
            self.query = nn.Linear(query_dim, channels)
            self.key = nn.Linear(channels, channels, bias=False)

    def forward(self, features, query=None):
        b, c, h, w = features.shape
        positions = features.reshape(b, c, h * w).transpose(1, 2)
        if query is None:
            scores = self.score(positions).squeeze(-1)
        else:
            scores = (self.key(positions) @ self.query(query).unsqueeze(-1)).squeeze(-1) / math.sqrt(c)
        weights = scores.softmax(1)
        return (weights.unsqueeze(1) @ positions).squeeze(1), weights.reshape(b, h, w)
