math_like = -params.f * 2.0

math_like
